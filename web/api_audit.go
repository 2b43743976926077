package web

import (
	"net/http"
	"strconv"
	"time"

	"antq"
	"antq/store"
)

// auditFilterParams reads ?entity=&key=&user=&unit=&action=&after=&before=
// &from=&to=&limit=. after and before are record ids (cursors); from and to
// are dates (YYYY-MM-DD, to inclusive) or RFC 3339 times.
func auditFilterParams(r *http.Request) (store.AuditFilter, error) {
	q := r.URL.Query()
	f := store.AuditFilter{Entity: q.Get("entity"), Key: q.Get("key"), Username: q.Get("user"), UnitCode: q.Get("unit"),
		Action: q.Get("action"), Limit: 100}
	fields := antq.FieldErrors{}
	id := func(name string, dst *int64) {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				fields.Add(name, "cần số thứ tự bản ghi (số nguyên không âm)")
			}
			*dst = n
		}
	}
	id("after", &f.AfterID)
	id("before", &f.BeforeID)
	when := func(name string, dst *time.Time, endOfDay bool) {
		v := q.Get(name)
		if v == "" {
			return
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			*dst = t
			return
		}
		d, err := antq.ParseDate(v)
		if err != nil {
			fields.Add(name, "cần ngày YYYY-MM-DD hoặc thời điểm RFC 3339")
			return
		}
		t := time.Date(d.Year(), d.Month(), d.Time().Day(), 0, 0, 0, 0, vnZone)
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		*dst = t
	}
	when("from", &f.From, false)
	when("to", &f.To, true)
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			fields.Add("limit", "limit phải là số nguyên từ 1 đến 1000")
		}
		f.Limit = n
	}
	if len(fields) > 0 {
		return f, badRequest("Tham số không hợp lệ", fields)
	}
	return f, nil
}

// auditListJSON is a page of the audit trail, oldest first; NextAfter is
// the cursor for the next page (0 when this one is the last).
type auditListJSON struct {
	Records   []store.AuditRecord `json:"records"`
	NextAfter int64               `json:"next_after"`
}

// GET /api/v1/audit?entity=&key=&user=&unit=&action=&after=&before=&from=&to=&limit=
// Administrators below the root see the records about units in their
// subtree only.
func (s *Server) apiAuditList(w http.ResponseWriter, r *http.Request) {
	f, err := auditFilterParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	recs, err := s.DB.AuditRecords(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := auditListJSON{Records: recs}
	if out.Records == nil {
		out.Records = []store.AuditRecord{}
	}
	if len(recs) == f.Limit {
		out.NextAfter = recs[len(recs)-1].ID
	}
	writeJSON(w, http.StatusOK, out)
}
