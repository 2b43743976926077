package web

import (
	"net/http"

	"antq"
	"antq/store"
)

// accountPage is the user's own account: who they are, the password form
// and their API tokens.
type accountPage struct {
	Layout
	Account *store.UserDetails
	Tokens  []store.Token
	Form    *accountForm
}

// accountForm is what an account form shows after a refused submission:
// the message and the reason next to each wrong field (passwords are never
// echoed back).
type accountForm struct {
	Message      string
	Errors       map[string]string
	RevokeTokens bool // the "revoke my API tokens" box was ticked
}

// Reason returns why a field was refused, "" if it was not.
func (f *accountForm) Reason(field string) string { return f.Errors[field] }

func (s *Server) accountPageData(r *http.Request) (accountPage, error) {
	page := accountPage{Layout: s.layout(r, "Tài khoản của tôi"),
		Form: &accountForm{Errors: map[string]string{}}}
	user := antq.UserFromContext(r.Context())
	var err error
	if page.Account, err = s.DB.User(r.Context(), user.Username); err != nil {
		return page, err
	}
	page.Tokens, err = s.DB.Tokens(r.Context(), "")
	return page, err
}

// GET /account
func (s *Server) accountShow(w http.ResponseWriter, r *http.Request) {
	page, err := s.accountPageData(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	switch r.URL.Query().Get("doi") {
	case "ok":
		page.Flash = "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc."
	case "ok-ma":
		page.Flash = "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc và mọi mã truy cập API đã bị thu hồi."
	}
	s.render(w, r, http.StatusOK, "account", page)
}

// GET /api/v1/account
func (s *Server) apiAccountShow(w http.ResponseWriter, r *http.Request) {
	d, err := s.DB.User(r.Context(), antq.UserFromContext(r.Context()).Username)
	respond(s, w, r, d, err)
}
