package web

import (
	"net/http"
	"net/url"
	"strconv"

	"antq"
)

// usersPage is the administrators' list of accounts in their scope.
type usersPage struct {
	Layout
	Users      []*antq.User
	Total      int
	Roles      []antq.Role
	FilterQ    string
	FilterRole string
	FilterUnit string
	// FilterDisabled is "", "true" or "false".
	FilterDisabled string
	Error          string
	Prev, Next     string
}

// GET /users?q=&role=&unit=&disabled=&offset=: the accounts in the administrator's
// scope (reading them is audited).
func (s *Server) usersShow(w http.ResponseWriter, r *http.Request) {
	page := usersPage{Layout: s.layout(r, "Quản lý tài khoản"), Roles: antq.Roles}
	page.Query = "" // the header's unit search box stays empty
	f, err := userFilterParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f.Limit = 50
	page.FilterQ, page.FilterRole, page.FilterUnit = f.Query, string(f.Role), f.UnitCode
	if f.Disabled != nil {
		page.FilterDisabled = strconv.FormatBool(*f.Disabled)
	}
	if page.Users, page.Total, err = s.DB.Users(r.Context(), f); err != nil {
		s.error(w, r, err)
		return
	}
	link := func(offset int) string {
		q := url.Values{}
		for k, v := range map[string]string{"q": f.Query, "role": string(f.Role), "unit": f.UnitCode, "disabled": page.FilterDisabled} {
			if v != "" {
				q.Set(k, v)
			}
		}
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
		return "/users?" + q.Encode()
	}
	if f.Offset > 0 {
		page.Prev = link(max(0, f.Offset-f.Limit))
	}
	if f.Offset+len(page.Users) < page.Total {
		page.Next = link(f.Offset + f.Limit)
	}
	s.render(w, r, http.StatusOK, "users", page)
}
