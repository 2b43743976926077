package web

import (
	"net/http"
	"slices"

	"antq"
	"antq/rules"
	"antq/yearend"
)

// noticesPage lists what the user has to act on in a plan: dossiers late or
// due soon, and what was returned to the user with the reason.
type noticesPage struct {
	Layout
	Plan     *rules.Plan
	Notices  *yearend.Notices
	WarnDays int
}

// NoticeURL is where a notice leads: the dossier, or the unit's facts.
func (p noticesPage) NoticeURL(n yearend.Notice) string { return noticeURL(p.Plan.ID, n) }

func noticeURL(plan string, n yearend.Notice) string {
	if n.Dossier != "" {
		return dossierBase(plan, n.Unit.Code, n.Dossier)
	}
	return "/plans/" + plan + "/units/" + n.Unit.Code + "#" + string(n.Fact)
}

// GET /plans/{plan}/notices
func (s *Server) noticesShow(w http.ResponseWriter, r *http.Request) {
	plan, _, err := s.DB.Plan(r.Context(), r.PathValue("plan"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := noticesPage{Layout: s.layout(r, "Việc cần làm"), Plan: plan, WarnDays: yearend.WarnDays}
	if page.Notices, err = s.DB.Notices(r.Context(), plan.ID, 200); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "notices", page)
}

// noticeCount is the header's count of notices, in the page's plan (else
// the newest plan); 0 when there is no user or no plan. A failure here
// never fails the page: the header then shows no count.
func (s *Server) noticeCount(r *http.Request) (string, int) {
	u := antq.UserFromContext(r.Context())
	if u == nil || !u.Can(antq.PermFactRead) {
		return "", 0
	}
	planID := r.PathValue("plan")
	if planID == "" {
		c, err := s.DB.Catalog(r.Context())
		if err != nil {
			return "", 0
		}
		plans := c.Plans()
		if len(plans) == 0 {
			return "", 0
		}
		plans = slices.Clone(plans)
		slices.SortStableFunc(plans, func(a, b *rules.Plan) int { return b.Year - a.Year })
		planID = plans[0].ID
	}
	n, err := s.DB.Notices(r.Context(), planID, 1)
	if err != nil {
		return "", 0
	}
	return planID, n.Total()
}

// noticeLabel names what a notice is about.
func noticeWhat(n yearend.Notice) string {
	if n.Dossier != "" {
		return n.Dossier.Label()
	}
	return labelOr(auditEntities, string(n.Fact))
}
