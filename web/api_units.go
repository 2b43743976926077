package web

import (
	"net/http"
	"strconv"

	"antq"
	"antq/store"
)

// unitJSON is a unit as the API shows it.
type unitJSON struct {
	Code          string             `json:"code"`
	Name          string             `json:"name"`
	Kind          antq.UnitKind      `json:"kind"`
	Type          string             `json:"type"`
	ParentCode    *string            `json:"parent_code"`
	ValidFrom     antq.Date          `json:"valid_from"`
	ValidTo       antq.Date          `json:"valid_to"`
	Households    *int64             `json:"households"`
	Staff         *int64             `json:"staff"`
	Pupils        *int64             `json:"pupils"`
	SizeAsOf      antq.Date          `json:"size_as_of"`
	ManagingLevel antq.ManagingLevel `json:"managing_level,omitempty"`
	Flags         antq.UnitFlags     `json:"flags"`
	// Successors: in a search, what an ended unit became.
	Successors []store.LineageLink `json:"successors,omitempty"`
}

func toUnitJSON(u *antq.Unit) unitJSON {
	j := unitJSON{Code: u.Code, Name: u.Name, Kind: u.Kind, Type: u.Type, ValidFrom: u.ValidFrom, ValidTo: u.ValidTo,
		Households: u.Size.Households, Staff: u.Size.Staff, Pupils: u.Size.Pupils, SizeAsOf: u.Size.AsOf,
		ManagingLevel: u.ManagingLevel, Flags: u.Flags}
	if u.ParentCode != "" {
		j.ParentCode = &u.ParentCode
	}
	return j
}

func toUnitsJSON(units []*antq.Unit) []unitJSON {
	out := make([]unitJSON, len(units))
	for i, u := range units {
		out[i] = toUnitJSON(u)
	}
	return out
}

type unitListJSON struct {
	Units  []unitJSON `json:"units"`
	Total  int        `json:"total"`
	Offset int        `json:"offset"`
	Limit  int        `json:"limit"`
}

// GET /api/v1/units/{code}?as_of=YYYY-MM-DD
func (s *Server) apiUnitShow(w http.ResponseWriter, r *http.Request) {
	asOf, err := dateParam(r, "as_of")
	if err != nil {
		s.error(w, r, err)
		return
	}
	u, err := s.DB.FindUnitByCode(r.Context(), r.PathValue("code"), asOf)
	if err != nil {
		s.error(w, r, err)
		return
	}
	counts, err := s.DB.SubtreeCounts(r.Context(), u.Code, asOf)
	if err != nil {
		s.error(w, r, err)
		return
	}
	pred, succ, err := s.DB.Lineage(r.Context(), u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := struct {
		unitJSON
		Subtree      map[antq.UnitKind]int `json:"subtree"`
		Predecessors []store.LineageLink   `json:"predecessors,omitempty"`
		Successors   []store.LineageLink   `json:"successors,omitempty"`
	}{toUnitJSON(u), map[antq.UnitKind]int{}, pred, succ}
	for _, c := range counts {
		out.Subtree[c.Kind] = c.Count
	}
	writeJSON(w, http.StatusOK, out)
}

// GET /api/v1/units/{code}/children?as_of=&offset=&limit=
func (s *Server) apiUnitChildren(w http.ResponseWriter, r *http.Request) {
	asOf, err := dateParam(r, "as_of")
	if err != nil {
		s.error(w, r, err)
		return
	}
	offset, limit, err := pageParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var kind *antq.UnitKind
	if k := r.URL.Query().Get("kind"); k != "" {
		kk := antq.UnitKind(k)
		if !kk.Valid() {
			s.error(w, r, badRequest("Tham số không hợp lệ", map[string]string{"kind": "loại đơn vị không hợp lệ: " + k}))
			return
		}
		kind = &kk
	}
	_, units, total, err := s.DB.Children(r.Context(), r.PathValue("code"), asOf, kind, offset, limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, unitListJSON{Units: toUnitsJSON(units), Total: total, Offset: offset, Limit: limit})
}

// GET /api/v1/units?q=TEXT&kind=KIND&parent=CODE&as_of=&offset=&limit=
func (s *Server) apiUnitList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	filter := antq.UnitFilter{Query: q.Get("q")}
	fields := antq.FieldErrors{}
	if k := q.Get("kind"); k != "" {
		kind := antq.UnitKind(k)
		if !kind.Valid() {
			fields.Add("kind", "loại đơn vị không hợp lệ: "+k)
		}
		filter.Kind = &kind
	}
	if p := q.Get("parent"); p != "" {
		filter.ParentCode = &p
	}
	var err error
	if filter.AsOf, err = dateParam(r, "as_of"); err != nil {
		fields.Add("as_of", antq.ErrorFields(err)["as_of"])
	}
	if filter.Offset, filter.Limit, err = pageParams(r); err != nil {
		for k, v := range antq.ErrorFields(err) {
			fields.Add(k, v)
		}
	}
	if len(fields) > 0 {
		s.error(w, r, badRequest("Tham số không hợp lệ", fields))
		return
	}
	units, total, err := s.DB.FindUnits(r.Context(), filter)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := unitListJSON{Units: toUnitsJSON(units), Total: total, Offset: filter.Offset, Limit: filter.Limit}
	if filter.Query != "" {
		// An old name finds the old unit; say what it became.
		for i, u := range units {
			if u.ValidTo.IsZero() {
				continue
			}
			if _, out.Units[i].Successors, err = s.DB.Lineage(r.Context(), u.ID); err != nil {
				s.error(w, r, err)
				return
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// dateParam reads an optional YYYY-MM-DD query parameter.
func dateParam(r *http.Request, name string) (antq.Date, error) {
	d, err := antq.ParseDate(r.URL.Query().Get(name))
	if err != nil {
		return d, badRequest("Tham số không hợp lệ", map[string]string{name: err.Error()})
	}
	return d, nil
}

// pageParams reads offset and limit (default 100, at most 1000).
func pageParams(r *http.Request) (offset, limit int, err error) {
	return pageParamsNamed(r, "offset", "limit")
}

// pageParamsNamed is pageParams with other parameter names.
func pageParamsNamed(r *http.Request, offsetName, limitName string) (offset, limit int, err error) {
	fields := antq.FieldErrors{}
	limit = 100
	if v := r.URL.Query().Get(limitName); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 1000 {
			fields.Add(limitName, limitName+" phải là số nguyên từ 1 đến 1000")
		}
	}
	if v := r.URL.Query().Get(offsetName); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			fields.Add(offsetName, offsetName+" phải là số nguyên không âm")
		}
	}
	if len(fields) > 0 {
		return 0, 0, badRequest("Tham số không hợp lệ", fields)
	}
	return offset, limit, nil
}
