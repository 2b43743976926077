package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"antq"
	"antq/store"
)

// userPage is an account as its administrator manages it: details, lock,
// password reset, move to another unit or role, API tokens.
type userPage struct {
	Layout
	Account  *store.UserDetails
	UnitName string
	Tokens   []store.Token
	Roles    []antq.Role
	Self     bool // the administrator's own account: no lock, reset or move here
	Move     userForm
}

// userConfirmPage asks once more before an account is locked, unlocked or
// its password reset (no script needed: the confirmation is a second POST).
type userConfirmPage struct {
	Layout
	Question string
	Detail   string
	Action   string
	Button   string
	Back     string
	Hidden   map[string]string
	// NoReason: the step records no reason, so the page asks for none.
	NoReason bool
}

func (s *Server) userPageData(r *http.Request, username string) (userPage, error) {
	page := userPage{Layout: s.layout(r, "Tài khoản "+username), Roles: antq.Roles, Move: userForm{Errors: map[string]string{}}}
	page.Query = ""
	var err error
	if page.Account, err = s.DB.User(r.Context(), username); err != nil {
		return page, err
	}
	page.Self = page.Account.ID == antq.UserFromContext(r.Context()).ID
	if unit, err := s.DB.FindUnitByCode(r.Context(), page.Account.UnitCode, antq.Date{}); err == nil {
		page.UnitName = unit.Name
	} else if antq.ErrorCode(err) != antq.ENOTFOUND {
		return page, err
	}
	page.Move.Unit, page.Move.Role = page.Account.UnitCode, string(page.Account.Role)
	if page.UnitName != "" {
		page.Move.Unit, page.Move.Prev, page.Move.PrevName = page.UnitName, page.Account.UnitCode, page.UnitName
	}
	page.Tokens, err = s.DB.Tokens(r.Context(), username)
	return page, err
}

// GET /users/{username} (reading the account is audited)
func (s *Server) userShow(w http.ResponseWriter, r *http.Request) {
	page, err := s.userPageData(r, r.PathValue("username"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	page.Flash = userFlashes[r.URL.Query().Get("da")]
	s.render(w, r, http.StatusOK, "user", page)
}

var userFlashes = map[string]string{
	"khoa":   "Đã khóa tài khoản. Mọi phiên đăng nhập của tài khoản đã kết thúc và mọi mã truy cập API đã bị thu hồi.",
	"mo":     "Đã mở khóa tài khoản.",
	"chuyen": "Đã lưu đơn vị và vai trò mới của tài khoản.",
	"thuhoi": "Đã thu hồi mã truy cập API.",
}

func userURL(username, done string) string {
	return "/users/" + url.PathEscape(username) + "?da=" + done
}

// POST /users/{username}/state (form: to=disable|enable, confirm, reason):
// without confirm=yes the answer is the confirmation page.
func (s *Server) userState(w http.ResponseWriter, r *http.Request) {
	username := r.PathValue("username")
	to := r.PostFormValue("to")
	if to != "disable" && to != "enable" {
		s.error(w, r, antq.Invalid("Thao tác không hợp lệ", map[string]string{"to": "cần khóa hoặc mở khóa"}))
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		d, err := s.DB.User(r.Context(), username)
		if err != nil {
			s.error(w, r, err)
			return
		}
		page := userConfirmPage{Layout: s.layout(r, "Xác nhận"), Action: "/users/" + url.PathEscape(username) + "/state",
			Back: "/users/" + url.PathEscape(username), Hidden: map[string]string{"to": to}}
		page.Query = ""
		who := d.Username
		if d.FullName != "" {
			who += " (" + d.FullName + ")"
		}
		if to == "disable" {
			page.Question, page.Button = "Khóa tài khoản "+who+"?", "Khóa tài khoản"
			page.Detail = "Tài khoản bị khóa không đăng nhập được; mọi phiên đăng nhập đang mở kết thúc và mọi mã truy cập API bị thu hồi ngay."
		} else {
			page.Question, page.Button = "Mở khóa tài khoản "+who+"?", "Mở khóa tài khoản"
			page.Detail = "Tài khoản đăng nhập lại được bằng mật khẩu hiện có; các mã truy cập API đã thu hồi không dùng lại được."
		}
		s.render(w, r, http.StatusOK, "user_confirm", page)
		return
	}
	disabled := to == "disable"
	if _, err := s.DB.UpdateUser(r.Context(), username, store.UserChange{Disabled: &disabled, Reason: strings.TrimSpace(r.PostFormValue("reason"))}); err != nil {
		s.error(w, r, err)
		return
	}
	done := "mo"
	if disabled {
		done = "khoa"
	}
	http.Redirect(w, r, userURL(username, done), http.StatusSeeOther)
}

// POST /users/{username}/password (form: confirm, reason): an
// administrator's reset. Without confirm=yes the answer is the
// confirmation page; then the account's sessions end, its API tokens are
// revoked and a new first password is shown once, to be changed at the
// next login.
func (s *Server) userPasswordReset(w http.ResponseWriter, r *http.Request) {
	username := r.PathValue("username")
	d, err := s.DB.User(r.Context(), username)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if d.ID == antq.UserFromContext(r.Context()).ID {
		s.error(w, r, antq.Errorf(antq.EFORBIDDEN, "Hãy đổi mật khẩu của chính mình bằng mật khẩu hiện tại (Tài khoản của tôi)"))
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		page := userConfirmPage{Layout: s.layout(r, "Xác nhận"), Action: "/users/" + url.PathEscape(username) + "/password",
			Back: "/users/" + url.PathEscape(username), Button: "Đặt lại mật khẩu",
			Question: "Đặt lại mật khẩu của tài khoản " + d.Username + "?",
			Detail:   "Hệ thống tạo một mật khẩu lần đầu mới, hiện một lần để in và giao cho người dùng; người dùng phải đổi mật khẩu khi đăng nhập. Mọi phiên đăng nhập của tài khoản kết thúc và mọi mã truy cập API bị thu hồi ngay."}
		page.Query = ""
		s.render(w, r, http.StatusOK, "user_confirm", page)
		return
	}
	password, hash, err := s.newFirstPassword(r)
	if err == nil {
		err = s.DB.ResetPassword(r.Context(), username, hash, strings.TrimSpace(r.PostFormValue("reason")), true)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	rows, err := s.sheetRows(r, []*antq.User{d.User}, []string{password})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderSheet(w, r, "Đã đặt lại mật khẩu", true, rows)
}

// POST /users/{username}/move (form: unit, role, reason): the account
// moves to another unit and/or role, both within the administrator's
// scope (audited with the reason).
func (s *Server) userMove(w http.ResponseWriter, r *http.Request) {
	username := r.PathValue("username")
	unit, role := strings.TrimSpace(r.PostFormValue("unit")), antq.Role(r.PostFormValue("role"))
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if role == antq.RoleAdmin && r.PostFormValue("confirm") != "yes" {
		// Making someone an administrator asks first.
		d, err := s.DB.User(r.Context(), username)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if d.Role != antq.RoleAdmin {
			page := userConfirmPage{Layout: s.layout(r, "Xác nhận"), Action: r.URL.Path, Back: "/users/" + url.PathEscape(username),
				Question: "Giao vai trò " + antq.RoleAdmin.Label() + " cho tài khoản " + username + "?",
				Detail:   "Tài khoản này sẽ tạo, khóa, đặt lại mật khẩu và chuyển các tài khoản khác trong phạm vi đơn vị được giao.",
				Button:   "Giao vai trò quản trị", Hidden: map[string]string{"unit": unit, "role": string(role), "reason": reason}, NoReason: true}
			page.Query = ""
			s.render(w, r, http.StatusOK, "user_confirm", page)
			return
		}
	}
	code, choices, total, err := s.pickUnit(r, "unit", unit, r.PostFormValue("unit_pick"))
	if err == nil {
		_, err = s.DB.UpdateUser(r.Context(), username, store.UserChange{UnitCode: &code, Role: &role, Reason: reason})
	}
	if err == nil {
		http.Redirect(w, r, userURL(username, "chuyen"), http.StatusSeeOther)
		return
	}
	switch antq.ErrorCode(err) {
	case antq.EINVALID, antq.EFORBIDDEN:
	default:
		s.error(w, r, err)
		return
	}
	page, perr := s.userPageData(r, username)
	if perr != nil {
		s.error(w, r, perr)
		return
	}
	page.Move.Unit, page.Move.Role, page.Move.Message = unit, string(role), antq.ErrorMessage(err)
	page.Move.Pick = unitPick{Field: "unit", Choices: choices, Total: total}
	for k, v := range antq.ErrorFields(err) {
		page.Move.Errors[k] = v
	}
	s.render(w, r, http.StatusUnprocessableEntity, "user", page)
}

// POST /users/{username}/tokens/{id}/revoke: revoke one API token of the
// account (audited). A token of another account is 404.
func (s *Server) userTokenRevoke(w http.ResponseWriter, r *http.Request) {
	username := r.PathValue("username")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.error(w, r, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy mã truy cập"))
		return
	}
	tokens, err := s.DB.Tokens(r.Context(), username)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var token *store.Token
	for i := range tokens {
		if tokens[i].ID == id {
			token = &tokens[i]
		}
	}
	if token == nil {
		s.error(w, r, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy mã truy cập"))
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		page := userConfirmPage{Layout: s.layout(r, "Xác nhận"), Action: r.URL.Path, Back: "/users/" + url.PathEscape(username),
			Question: "Thu hồi mã truy cập “" + token.Name + "” (bắt đầu bằng " + token.Prefix + "…) của tài khoản " + username + "?",
			Detail:   "Chương trình hoặc máy đang dùng mã này không truy cập được nữa, và không dùng lại được mã đã thu hồi.",
			Button:   "Thu hồi mã", NoReason: true}
		page.Query = ""
		s.render(w, r, http.StatusOK, "user_confirm", page)
		return
	}
	if err := s.DB.RevokeToken(r.Context(), id); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, userURL(username, "thuhoi"), http.StatusSeeOther)
}
