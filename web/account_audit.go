package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"antq"
	"antq/store"
)

// auditPage browses the audit trail, newest first.
type auditPage struct {
	Layout
	Records []store.AuditRecord
	Filter  map[string]string
	Older   string // link to the next (older) page
	// The filter's choices, in Vietnamese.
	Entities, Actions []codeLabel
}

// codeLabel is one choice of a filter: the value sent and its label.
type codeLabel struct{ Code, Label string }

// sortedChoices lists a label map as choices in Vietnamese order.
func sortedChoices(m map[string]string) []codeLabel {
	out := make([]codeLabel, 0, len(m))
	for k, v := range m {
		out = append(out, codeLabel{k, v})
	}
	slices.SortFunc(out, func(a, b codeLabel) int { return antq.CompareVietnamese(a.Label, b.Label) })
	return out
}

// GET /audit?entity=&key=&user=&unit=&action=&from=&to=&before=
func (s *Server) auditShow(w http.ResponseWriter, r *http.Request) {
	// The page's date fields take dd/mm/yyyy; the filter reads YYYY-MM-DD.
	q := r.URL.Query()
	for _, k := range []string{"from", "to"} {
		if d, ok := parseDMY(q.Get(k)); ok {
			q.Set(k, d.String())
		}
	}
	r.URL.RawQuery = q.Encode()
	f, err := auditFilterParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f.Newest, f.Limit, f.AfterID = true, 100, 0
	page := auditPage{Layout: s.layout(r, "Nhật ký thay đổi"), Filter: map[string]string{},
		Entities: sortedChoices(auditObjects), Actions: sortedChoices(auditActions)}
	page.Query = ""
	for _, k := range []string{"entity", "key", "user", "unit", "action", "from", "to"} {
		page.Filter[k] = q.Get(k)
	}
	if page.Records, err = s.DB.AuditRecords(r.Context(), f); err != nil {
		s.error(w, r, err)
		return
	}
	if n := len(page.Records); n == f.Limit {
		older := url.Values{}
		for k, v := range page.Filter {
			if v != "" {
				older.Set(k, v)
			}
		}
		older.Set("before", strconv.FormatInt(page.Records[n-1].ID, 10))
		page.Older = "/audit?" + older.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", page)
}
