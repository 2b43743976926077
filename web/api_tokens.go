package web

import (
	"net/http"
	"strconv"

	"antq"
	"antq/auth"
	"antq/store"
)

// GET /api/v1/tokens?user=U: the caller's own tokens, or (administrators)
// those of an account in their scope. Secrets are never listed.
func (s *Server) apiTokenList(w http.ResponseWriter, r *http.Request) {
	tokens, err := s.DB.Tokens(r.Context(), r.URL.Query().Get("user"))
	respond(s, w, r, map[string]any{"tokens": tokens}, err)
}

// createdTokenJSON carries the secret, shown this once.
type createdTokenJSON struct {
	store.Token
	Secret string `json:"token"`
}

// POST /api/v1/tokens {"name", "username"?}: a new token for the caller, or
// (administrators) for an account in their scope. The token acts as its
// user, with the same role and scope.
func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name     string `json:"name"`
		Username string `json:"username"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	owner, err := s.DB.TokenOwner(r.Context(), in.Username)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if owner.Disabled {
		s.error(w, r, antq.Errorf(antq.ECONFLICT, "Tài khoản %s đã bị khóa", owner.Username))
		return
	}
	if in.Name == "" {
		in.Name = "api " + s.DB.Now().In(vnZone).Format("02/01/2006")
	}
	secret := auth.NewToken("antq_")
	t, err := s.DB.CreateToken(r.Context(), owner.ID, in.Name, auth.HashToken(secret), secret[:9])
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, createdTokenJSON{Token: *t, Secret: secret})
}

// DELETE /api/v1/tokens/{id}: revoke one's own token, or (administrators)
// a token of an account in scope. Any other id does not exist (404).
func (s *Server) apiTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.error(w, r, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy mã truy cập %q", r.PathValue("id")))
		return
	}
	respondDeleted(s, w, r, s.DB.RevokeToken(r.Context(), id))
}
