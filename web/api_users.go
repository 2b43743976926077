package web

import (
	"net/http"
	"strconv"

	"antq"
	"antq/auth"
	"antq/store"
)

// userListJSON is a page of accounts.
type userListJSON struct {
	Users  []*antq.User `json:"users"`
	Total  int          `json:"total"`
	Offset int          `json:"offset"`
	Limit  int          `json:"limit"`
}

// userFilterParams reads ?q=&unit=&role=&disabled=&offset=&limit=.
func userFilterParams(r *http.Request) (store.UserFilter, error) {
	q := r.URL.Query()
	f := store.UserFilter{Query: q.Get("q"), UnitCode: q.Get("unit"), Role: antq.Role(q.Get("role"))}
	fields := antq.FieldErrors{}
	if f.Role != "" && !f.Role.Valid() {
		fields.Add("role", "vai trò không hợp lệ: "+string(f.Role))
	}
	if v := q.Get("disabled"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fields.Add("disabled", "cần true hoặc false")
		}
		f.Disabled = &b
	}
	var err error
	if f.Offset, f.Limit, err = pageParams(r); err != nil {
		for k, v := range antq.ErrorFields(err) {
			fields.Add(k, v)
		}
	}
	if len(fields) > 0 {
		return f, badRequest("Tham số không hợp lệ", fields)
	}
	return f, nil
}

// GET /api/v1/users?q=&unit=&role=&disabled=&offset=&limit=
func (s *Server) apiUserList(w http.ResponseWriter, r *http.Request) {
	f, err := userFilterParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	users, total, err := s.DB.Users(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, userListJSON{Users: users, Total: total, Offset: f.Offset, Limit: f.Limit})
}

// passwordToSet is the password an administrator sets for an account: the
// one given, checked, or a new random one (generated = true) to hand over
// once; with its hash.
func (s *Server) passwordToSet(r *http.Request, username string, given *string) (password, hash string, generated bool, err error) {
	if given == nil || *given == "" {
		password, generated = auth.RandomPassword(16), true
	} else if err := checkNewPassword(username, *given); err != nil {
		return "", "", false, antq.Invalid(antq.ErrorMessage(err), map[string]string{"password": antq.ErrorFields(err)["new_password"]})
	} else {
		password = *given
	}
	if hash, err = s.Hasher.Hash(r.Context(), password); err != nil {
		return "", "", false, err
	}
	return password, hash, generated, nil
}

// createdUserJSON is a new account; Password is there only when the server
// generated it, and is shown this once.
type createdUserJSON struct {
	User     *antq.User `json:"user"`
	Password string     `json:"password,omitempty"`
}

// POST /api/v1/users {"username", "full_name", "role", "unit", "password"?}
// The unit must be in the administrator's own subtree. Without a password
// one is generated and returned once.
func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string    `json:"username"`
		FullName string    `json:"full_name"`
		Role     antq.Role `json:"role"`
		Unit     string    `json:"unit"`
		Password *string   `json:"password"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	password, hash, generated, err := s.passwordToSet(r, in.Username, in.Password)
	if err != nil {
		s.error(w, r, err)
		return
	}
	u, err := s.DB.CreateUser(r.Context(), store.NewUser{Username: in.Username, FullName: in.FullName, Role: in.Role,
		UnitCode: in.Unit, PasswordHash: hash, MustChangePassword: true})
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := createdUserJSON{User: u}
	if generated {
		out.Password = password
	}
	writeJSON(w, http.StatusCreated, out)
}

// GET /api/v1/users/{username} (audited: it reads a person's account)
func (s *Server) apiUserShow(w http.ResponseWriter, r *http.Request) {
	d, err := s.DB.User(r.Context(), r.PathValue("username"))
	respond(s, w, r, d, err)
}

// PATCH /api/v1/users/{username} {"full_name"?, "role"?, "unit"?, "disabled"?, "reason"?}
func (s *Server) apiUserUpdate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		FullName *string    `json:"full_name"`
		Role     *antq.Role `json:"role"`
		Unit     *string    `json:"unit"`
		Disabled *bool      `json:"disabled"`
		Reason   string     `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	u, err := s.DB.UpdateUser(r.Context(), r.PathValue("username"), store.UserChange{FullName: in.FullName, Role: in.Role,
		UnitCode: in.Unit, Disabled: in.Disabled, Reason: in.Reason})
	respond(s, w, r, u, err)
}

// POST /api/v1/users/{username}/password {"password"?, "reason"?}: an
// administrator's reset. The account's sessions end and its API tokens are
// revoked at once; without a password one is generated and returned once. Administrators change their
// own password with the current one (/api/v1/account/password).
func (s *Server) apiUserPasswordReset(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Password *string `json:"password"`
		Reason   string  `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	username := r.PathValue("username")
	if username == antq.UserFromContext(r.Context()).Username {
		s.error(w, r, antq.Errorf(antq.EFORBIDDEN, "Hãy đổi mật khẩu của chính mình bằng mật khẩu hiện tại (Tài khoản của tôi)"))
		return
	}
	password, hash, generated, err := s.passwordToSet(r, username, in.Password)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.DB.ResetPassword(r.Context(), username, hash, in.Reason, true); err != nil {
		s.error(w, r, err)
		return
	}
	out := map[string]any{"username": username, "sessions_ended": true, "tokens_revoked": true}
	if generated {
		out["password"] = password
	}
	writeJSON(w, http.StatusOK, out)
}
