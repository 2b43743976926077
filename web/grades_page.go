package web

import (
	"net/http"

	"antq"
	"antq/indicator"
	"antq/rules"
	"antq/store"
)

type gradesPage struct {
	Layout
	Plan    *rules.Plan
	Unit    *antq.Unit
	Crumbs  []*antq.Unit
	Bucket  indicator.GradeBucket
	Buckets []gradeTab
	Units   []store.GradedUnit
	Total   int
	Page    pager
}

type gradeTab struct {
	Bucket indicator.GradeBucket
	Count  int64
	URL    string
}

// GET /plans/{plan}/grades?unit=CODE&grade=yeu: the units of one bucket of
// the grade distribution — the drill-down of the dashboard's grade chart.
func (s *Server) gradesPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	offset, limit, err := pageListParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	bucket := indicator.GradeBucket(r.URL.Query().Get("grade"))
	if bucket == "" {
		bucket = indicator.BucketUngraded
	}
	rep, err := s.DB.UnitIndicators(ctx, r.PathValue("plan"), r.URL.Query().Get("unit"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	units, total, err := s.DB.GradeUnits(ctx, rep.Plan.ID, rep.Unit.Unit.Code, bucket, offset, limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := gradesPage{Layout: s.layout(r, bucket.Label()+" — "+rep.Unit.Unit.Name), Plan: rep.Plan, Unit: rep.Unit.Unit,
		Bucket: bucket, Units: units, Total: total}
	if counts, _, ok := indicator.GradeCounts(rep.Unit.Figures); ok {
		for _, b := range indicator.GradeBuckets {
			q := r.URL.Query()
			q.Set("grade", string(b))
			q.Del("offset")
			page.Buckets = append(page.Buckets, gradeTab{Bucket: b, Count: counts[b], URL: r.URL.Path + "?" + q.Encode()})
		}
	}
	if page.Crumbs, err = s.planCrumbs(r, rep.Plan, rep.Unit.Unit); err != nil {
		s.error(w, r, err)
		return
	}
	page.Page = newPager(r, offset, limit, total)
	s.render(w, r, http.StatusOK, "grades", page)
}
