package web

import (
	"net/http"

	"antq"
)

// firstPasswordRoutes are what a browser session whose password is a first
// password (antq.User.MustChangePassword) may reach: its own account page,
// the password change and logging out.
var firstPasswordRoutes = map[string]bool{
	"GET /account":                  true,
	"POST /account/password":        true,
	"POST /logout":                  true,
	"GET /api/v1/account":           true,
	"POST /api/v1/account/password": true,
}

// firstPassword holds a session user with a first password (set by an
// administrator on creation or reset) on the own-account page until the
// password is changed: pages redirect there, the API answers 403. API
// tokens are not held back: an account with a first password has none of
// its own (a reset revokes them all), and one an administrator makes for
// it is the administrator's decision.
func (s *Server) firstPassword(pattern string, next http.HandlerFunc) http.HandlerFunc {
	if firstPasswordRoutes[pattern] {
		return next
	}
	return func(w http.ResponseWriter, r *http.Request) {
		user := antq.UserFromContext(r.Context())
		if user == nil || !user.MustChangePassword || r.Header.Get("Authorization") != "" {
			next(w, r)
			return
		}
		if isAPI(r) || r.Method != http.MethodGet {
			s.error(w, r, antq.Errorf(antq.EFORBIDDEN, "Cần đổi mật khẩu lần đầu trước khi dùng hệ thống (Tài khoản của tôi)"))
			return
		}
		http.Redirect(w, r, "/account?doi=can", http.StatusSeeOther)
	}
}
