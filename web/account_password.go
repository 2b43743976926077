package web

import (
	"net/http"
	"strings"

	"antq"
)

// changeOwnPassword checks the current password (a wrong one counts as a
// failed login for the throttle, so this is no side door for guessing) and
// sets the new one, ending the user's other sessions and, with
// revokeTokens, revoking the user's API tokens.
func (s *Server) changeOwnPassword(w http.ResponseWriter, r *http.Request, current, next, confirm string, revokeTokens bool) error {
	user := antq.UserFromContext(r.Context())
	if err := s.loginWait(w, r, user.Username); err != nil {
		return err
	}
	checked, err := s.checkPassword(r, user.Username, current)
	if err != nil && antq.ErrorCode(err) != antq.EUNAUTHORIZED {
		return err
	}
	if checked == nil {
		if err := s.DB.RecordLogin(r.Context(), s.throttle, user.Username, throttleAddr(r), nil); err != nil {
			return err
		}
		return antq.Invalid("Mật khẩu hiện tại không đúng", map[string]string{"current_password": "mật khẩu hiện tại không đúng"})
	}
	if err := checkNewPassword(user.Username, next); err != nil {
		return err
	}
	f := antq.FieldErrors{}
	if next == current {
		f.Add("new_password", "mật khẩu mới phải khác mật khẩu hiện tại")
	}
	if confirm != next {
		f.Add("confirm_password", "nhập lại mật khẩu mới không khớp")
	}
	if err := f.Err("Mật khẩu mới không hợp lệ"); err != nil {
		return err
	}
	hash, err := s.Hasher.Hash(r.Context(), next)
	if err != nil {
		return err
	}
	return s.DB.ChangeOwnPassword(r.Context(), hash, s.sessionHash(r), revokeTokens)
}

// checkNewPassword applies the password rules (antq.ValidatePassword) and
// refuses a password containing the user name. The reasons are reported
// on the field "new_password".
func checkNewPassword(username, password string) error {
	if err := antq.ValidatePassword(password); err != nil {
		return antq.Invalid(antq.ErrorMessage(err), map[string]string{"new_password": antq.ErrorFields(err)["password"]})
	}
	if strings.Contains(strings.ToLower(password), username) {
		return antq.Invalid("Mật khẩu không hợp lệ", map[string]string{"new_password": "mật khẩu không được chứa tên đăng nhập"})
	}
	return nil
}

// POST /account/password (form: current_password, new_password,
// confirm_password, revoke_tokens)
func (s *Server) accountPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	current, next, confirm := r.PostFormValue("current_password"), r.PostFormValue("new_password"), r.PostFormValue("confirm_password")
	revokeTokens := r.PostFormValue("revoke_tokens") != ""
	err := formEncodingErr(r)
	if err == nil {
		err = s.changeOwnPassword(w, r, current, next, confirm, revokeTokens)
	}
	if err == nil {
		done := "/account?doi=ok"
		if revokeTokens {
			done += "-ma"
		}
		http.Redirect(w, r, done, http.StatusSeeOther)
		return
	}
	switch antq.ErrorCode(err) {
	case antq.EINVALID, antq.ETOOMANY:
	default:
		s.error(w, r, err)
		return
	}
	page, perr := s.accountPageData(r)
	if perr != nil {
		s.error(w, r, perr)
		return
	}
	page.Form.Message, page.Form.RevokeTokens = antq.ErrorMessage(err), revokeTokens
	for k, v := range antq.ErrorFields(err) {
		page.Form.Errors[k] = v
	}
	status := http.StatusUnprocessableEntity
	if antq.ErrorCode(err) == antq.ETOOMANY {
		status = http.StatusTooManyRequests
	}
	s.render(w, r, status, "account", page)
}

// POST /api/v1/account/password {"current_password", "new_password",
// "revoke_tokens"?}: the other sessions end; with revoke_tokens the
// caller's API tokens (the one making the call too) are revoked.
func (s *Server) apiAccountPassword(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Current      string `json:"current_password"`
		New          string `json:"new_password"`
		RevokeTokens bool   `json:"revoke_tokens"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.changeOwnPassword(w, r, in.Current, in.New, in.New, in.RevokeTokens); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
