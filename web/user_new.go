package web

import (
	"net/http"
	"strings"

	"antq"
	"antq/auth"
	"antq/store"
)

// firstPasswordLen is the length of the first passwords the pages hand out
// (the API's generated passwords too).
const firstPasswordLen = 16

// userForm is the account a creation form holds, shown again after a
// refusal with the reason next to each wrong field.
type userForm struct {
	Username, FullName, Unit, Role string
	Message                        string
	Errors                         map[string]string
	// Prev is the unit the form was prefilled with, shown by its name
	// PrevName until changed; Pick offers the units a typed name matches
	// (unit_pick.go).
	Prev, PrevName string
	Pick           unitPick
}

// unitPick is the list of units a unit field offers to choose from.
type unitPick struct {
	Field   string // the unit field; the choice comes back as Field_pick
	Choices []unitChoice
	Total   int
}

// userNewPage is the form creating one account.
type userNewPage struct {
	Layout
	Roles []antq.Role
	Form  userForm
}

// sheetRow is one account of a sheet of first passwords.
type sheetRow struct {
	Username, FullName, Role, UnitCode, UnitName, Password string
}

// userSheetPage is the printable sheet of first passwords, shown once.
type userSheetPage struct {
	Layout
	Heading string
	Reset   bool // a password reset, not new accounts
	Rows    []sheetRow
	// LoginURL is where to log in, as the administrator's browser reached
	// the server (printed on the sheet).
	LoginURL string
}

// GET /users/new
func (s *Server) userNewForm(w http.ResponseWriter, r *http.Request) {
	me := antq.UserFromContext(r.Context())
	form := userForm{Unit: me.UnitCode, Role: string(antq.RoleDataEntry), Errors: map[string]string{}}
	if u, err := s.DB.FindUnitByCode(r.Context(), me.UnitCode, antq.Date{}); err == nil {
		form.Unit, form.Prev, form.PrevName = u.Name, u.Code, u.Name // the page names units, never a bare code
	}
	page := userNewPage{Layout: s.layout(r, "Tạo tài khoản"), Roles: antq.Roles, Form: form}
	page.Query = ""
	s.render(w, r, http.StatusOK, "user_new", page)
}

// newFirstPassword returns a new first password and its hash.
func (s *Server) newFirstPassword(r *http.Request) (password, hash string, err error) {
	password = auth.RandomPassword(firstPasswordLen)
	hash, err = s.Hasher.Hash(r.Context(), password)
	return password, hash, err
}

// POST /users/new (form: username, full_name, unit, role): the account is
// created with a first password the server generates, shown once on a
// printable sheet, to be changed at the first login.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	form := userForm{Username: normalizeUsername(r.PostFormValue("username")), FullName: strings.TrimSpace(r.PostFormValue("full_name")),
		Unit: strings.TrimSpace(r.PostFormValue("unit")), Role: r.PostFormValue("role"), Errors: map[string]string{},
		Prev: r.PostFormValue("unit_prev"), PrevName: r.PostFormValue("unit_prev_name")}
	code, choices, total, err := s.pickUnit(r, "unit", form.Unit, r.PostFormValue("unit_pick"))
	form.Pick = unitPick{Field: "unit", Choices: choices, Total: total}
	var password, hash string
	if err == nil {
		password, hash, err = s.newFirstPassword(r)
	}
	var u *antq.User
	if err == nil {
		u, err = s.DB.CreateUser(r.Context(), store.NewUser{Username: form.Username, FullName: form.FullName,
			Role: antq.Role(form.Role), UnitCode: code, PasswordHash: hash, MustChangePassword: true})
	}
	if err != nil {
		switch antq.ErrorCode(err) {
		case antq.EINVALID, antq.ECONFLICT, antq.EFORBIDDEN:
		default:
			s.error(w, r, err)
			return
		}
		form.Message = antq.ErrorMessage(err)
		for k, v := range antq.ErrorFields(err) {
			form.Errors[k] = v
		}
		page := userNewPage{Layout: s.layout(r, "Tạo tài khoản"), Roles: antq.Roles, Form: form}
		page.Query = ""
		s.render(w, r, http.StatusUnprocessableEntity, "user_new", page)
		return
	}
	rows, err := s.sheetRows(r, []*antq.User{u}, []string{password})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderSheet(w, r, "Đã tạo tài khoản", false, rows)
}

// sheetRows pairs accounts with their first passwords and unit names.
func (s *Server) sheetRows(r *http.Request, users []*antq.User, passwords []string) ([]sheetRow, error) {
	names := map[string]string{}
	rows := make([]sheetRow, len(users))
	for i, u := range users {
		name, ok := names[u.UnitCode]
		if !ok {
			unit, err := s.DB.FindUnitByCode(r.Context(), u.UnitCode, antq.Date{})
			if err != nil {
				return nil, err
			}
			name = unit.Name
			if unit.ParentName != "" {
				name += " (" + unit.ParentName + ")"
			}
			names[u.UnitCode] = name
		}
		rows[i] = sheetRow{Username: u.Username, FullName: u.FullName, Role: u.Role.Label(), UnitCode: u.UnitCode,
			UnitName: name, Password: passwords[i]}
	}
	return rows, nil
}

// renderSheet shows first passwords once: the page is not cached.
func (s *Server) renderSheet(w http.ResponseWriter, r *http.Request, heading string, reset bool, rows []sheetRow) {
	scheme := "http"
	if r.TLS != nil || s.SecureCookies {
		scheme = "https"
	}
	page := userSheetPage{Layout: s.layout(r, heading), Heading: heading, Reset: reset, Rows: rows, LoginURL: scheme + "://" + r.Host + "/login"}
	page.Query, page.Official = "", true
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "user_sheet", page)
}
