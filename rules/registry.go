package rules

import "antq"

// RegistryFigure is a figure of a plan computed from the registry of
// models (issue 15 item 2) rather than from the indicator counts: among the
// models of units of UnitKinds that already existed before the plan year
// (their status this year is not "new", or the registry knows them from
// an earlier year), the share whose status this year is one of Statuses
// (and that are assessed effective, when Effective) must reach Share. Kế
// hoạch 31/KH-UBND's "củng cố, kiện toàn các mô hình … hiện có hoạt động có
// hiệu quả" for communes is one.
type RegistryFigure struct {
	ID        string          `json:"id" rules:"required"`
	Title     string          `json:"title" rules:"required"`
	UnitKinds []antq.UnitKind `json:"unit_kinds" rules:"required"`
	Statuses  []ModelStatus   `json:"statuses" rules:"required"`
	Effective bool            `json:"effective,omitempty"`
	Share     Ratio           `json:"share" rules:"required"`
	Quote     string          `json:"quote,omitempty"`
	Note      string          `json:"note,omitempty"`
	Verified  bool            `json:"verified,omitempty"`
}

// checkRegistryFigures: ids are ids and once each, statuses are known
// model statuses, shares are shares.
func checkRegistryFigures(c *checker, figs []RegistryFigure) {
	seen := map[string]bool{}
	for i, f := range figs {
		p := joinIndex("registry_figures", i)
		c.id(p+".id", f.ID)
		if seen[f.ID] {
			c.fail(p+".id", "registry figure %q listed twice", f.ID)
		}
		seen[f.ID] = true
		c.share(p+".share", f.Share)
		for j, s := range f.Statuses {
			if !s.Valid() {
				c.fail(joinIndex(p+".statuses", j), "unknown model status %q", s)
			}
		}
	}
}
