package web

import (
	"net/http"

	"antq"
)

type homePage struct {
	Layout
	Units []*antq.Unit
	Total int
}

// home shows the caller's own unit, or search results for ?q=.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	page := homePage{Layout: s.layout(r, "Trang chủ")}
	var err error
	if page.Query != "" {
		page.Title = "Tìm đơn vị"
		page.Units, page.Total, err = s.DB.FindUnits(r.Context(), antq.UnitFilter{Query: page.Query, Limit: 100})
	} else if user := page.User; user.UnitCode != "" {
		var u *antq.Unit
		if u, err = s.DB.FindUnitByCode(r.Context(), user.UnitCode, antq.Date{}); err == nil {
			page.Units, page.Total = []*antq.Unit{u}, 1
		}
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", page)
}
