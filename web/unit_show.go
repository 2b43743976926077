package web

import (
	"net/http"

	"antq"
)

type unitPage struct {
	Layout
	Unit      *antq.Unit
	Ancestors []*antq.Unit
	Children  []*antq.Unit
	Counts    []antq.KindCount
}

func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) {
	ctx, code := r.Context(), r.PathValue("code")
	asOf, err := dateParam(r, "as_of")
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := unitPage{Layout: s.layout(r, "")}
	if page.Unit, page.Children, _, err = s.DB.Children(ctx, code, asOf, 0, 500); err != nil {
		s.error(w, r, err)
		return
	}
	page.Title = page.Unit.Name
	if page.Ancestors, err = s.DB.Ancestors(ctx, code, asOf); err != nil {
		s.error(w, r, err)
		return
	}
	if page.Counts, err = s.DB.SubtreeCounts(ctx, code, asOf); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "unit", page)
}
