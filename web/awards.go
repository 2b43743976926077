package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"antq"
	"antq/rules"
	"antq/store"
)

// Commendation pages and API (issue 15 items 5–6): nominations in scope by
// state with the suggestions of the official figures, a nomination's page
// with its dossier and steps, and the printable Giấy khen / Bằng khen.

// awardsPage lists the nominations of a plan in scope, with suggestions
// and the form to nominate.
type awardsPage struct {
	Layout
	Plans       []*rules.Plan
	Plan        *rules.Plan
	Unit        string
	State       string
	States      []antq.NominationState
	Nominations []*antq.Nomination
	Suggestions []antq.AwardSuggestion
	Forms       []*rules.AwardForm
	People      []*antq.Person
	Form        map[string]string
	Errors      map[string]string
	Message     string
	CanNominate bool
	// Picks offer the units a typed name matches, by field (unit_pick.go).
	Picks map[string]unitPick
}

// awardPlan is the plan ?plan= (or the form's plan_id) names, else the
// newest one.
func (s *Server) awardPlan(r *http.Request, id string) (*rules.Plan, []*rules.Plan, error) {
	c, err := s.DB.Catalog(r.Context())
	if err != nil {
		return nil, nil, err
	}
	plans := slices.Clone(c.Plans())
	slices.SortStableFunc(plans, func(a, b *rules.Plan) int { return b.Year - a.Year })
	if id == "" {
		if len(plans) == 0 {
			return nil, nil, antq.Errorf(antq.ENOTFOUND, "Chưa có kế hoạch nào")
		}
		return plans[0], plans, nil
	}
	p, _, err := s.DB.Plan(r.Context(), id)
	return p, plans, err
}

// GET /awards?plan=&unit=&state=
func (s *Server) awardsShow(w http.ResponseWriter, r *http.Request) {
	s.renderAwards(w, r, http.StatusOK, nil, nil, nil)
}

func (s *Server) renderAwards(w http.ResponseWriter, r *http.Request, status int, form map[string]string, picks map[string]unitPick, formErr error) {
	ctx := r.Context()
	q := r.URL.Query()
	planID := q.Get("plan")
	if form != nil {
		planID = form["plan_id"]
	}
	plan, plans, err := s.awardPlan(r, planID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	unit := q.Get("unit")
	user := antq.UserFromContext(ctx)
	p := awardsPage{Layout: s.layout(r, "Khen thưởng"), Plans: plans, Plan: plan, Unit: unit, State: q.Get("state"), States: antq.NominationStates,
		Form: form, Errors: map[string]string{}, CanNominate: user.Can(antq.PermAwardNominate), Picks: picks}
	if p.Nominations, err = s.DB.Nominations(ctx, store.NominationFilter{UnitCode: unit, PlanID: plan.ID, State: antq.NominationState(p.State)}); err != nil {
		s.error(w, r, err)
		return
	}
	p.Suggestions, err = s.DB.AwardSuggestions(ctx, plan.ID, unit)
	if antq.ErrorCode(err) == antq.ENOTFOUND && unit == "" {
		// The caller's unit is above the plan's tree (the nation's
		// administrator and a province's plan): the plan's root.
		p.Suggestions, err = s.DB.AwardSuggestions(ctx, plan.ID, plan.RootUnit)
	}
	switch {
	case antq.ErrorCode(err) == antq.ENOTFOUND && unit == "":
		p.Suggestions = nil // the caller's unit is not in this plan's tree
	case err != nil:
		s.error(w, r, err)
		return
	}
	awards, err := rules.Awards()
	if err != nil {
		s.error(w, r, err)
		return
	}
	day := antq.MustDate(fmt.Sprintf("%04d-12-31", plan.Year))
	for _, f := range awards.Forms {
		if _, _, err := awards.Form(f.Code, day); err == nil {
			p.Forms = append(p.Forms, f)
		}
	}
	if p.CanNominate {
		if p.People, _, err = s.DB.People(ctx, store.PersonFilter{UnitCode: unit, Limit: 500}); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if p.Form == nil {
		p.Form = map[string]string{"plan_id": plan.ID, "unit_code": q.Get("candidate"), "person_id": q.Get("person"), "form_code": q.Get("form"),
			"nominated_by": user.UnitCode, "reasons": q.Get("why")}
		// Units are shown by their names; the codes stand behind them
		// until the names are changed (unit_pick.go).
		for _, k := range []string{"unit_code", "nominated_by"} {
			if code := p.Form[k]; code != "" {
				if u, err := s.DB.FindUnitByCode(ctx, code, antq.Date{}); err == nil {
					p.Form[k], p.Form[k+"_prev"], p.Form[k+"_prev_name"] = u.Name, u.Code, u.Name
				}
			}
		}
	}
	if formErr != nil {
		p.Message = antq.ErrorMessage(formErr)
		if f := antq.ErrorFields(formErr); f != nil {
			p.Errors = f
		}
	}
	s.render(w, r, status, "awards", p)
}

var nominationFields = []string{"plan_id", "form_code", "unit_code", "person_id", "nominated_by", "reasons", "achievements", "proposal_number", "proposal_date",
	"council_on", "votes_for", "votes_against", "votes_total", "disclosed_from", "disclosed_to"}

// nominationForm reads a nomination form.
func nominationForm(f *formParser) (antq.NominationInput, map[string]string) {
	form := map[string]string{}
	for _, k := range nominationFields {
		form[k] = f.str(k)
	}
	num := func(k string) int {
		v := f.str(k)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			f.errors.Add(k, "cần một số nguyên")
		}
		return n
	}
	in := antq.NominationInput{PlanID: f.str("plan_id"), FormCode: f.str("form_code"), UnitCode: f.str("unit_code"), PersonID: atoi64(f.str("person_id")),
		NominatedBy: f.str("nominated_by"), Reasons: f.str("reasons"), Achievements: f.str("achievements"), ProposalNumber: f.str("proposal_number"),
		ProposalDate: f.date("proposal_date"), CouncilOn: f.date("council_on"), VotesFor: num("votes_for"), VotesAgainst: num("votes_against"),
		VotesTotal: num("votes_total"), DisclosedFrom: f.date("disclosed_from"), DisclosedTo: f.date("disclosed_to")}
	if in.PersonID != 0 {
		in.UnitCode = ""
	}
	return in, form
}

// POST /awards — a new nomination (draft).
func (s *Server) awardCreate(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	in, form := nominationForm(f)
	for _, k := range []string{"unit_code", "nominated_by", "unit_code_prev", "unit_code_prev_name", "nominated_by_prev", "nominated_by_prev_name"} {
		form[k] = f.str(k)
	}
	var n *antq.Nomination
	err := f.err()
	// The units typed by name or code (the candidate only for a collective).
	picks := map[string]unitPick{}
	for _, u := range []struct {
		field string
		code  *string
	}{{"nominated_by", &in.NominatedBy}, {"unit_code", &in.UnitCode}} {
		if err != nil || *u.code == "" {
			continue
		}
		code, choices, total, perr := s.pickUnit(r, u.field, *u.code, f.str(u.field+"_pick"))
		picks[u.field] = unitPick{Field: u.field, Choices: choices, Total: total}
		if perr != nil && len(choices) == 0 && antq.ErrorCode(perr) == antq.EINVALID {
			continue // nothing matches in scope: the store judges what was typed, as a code
		}
		*u.code, err = code, perr
	}
	if err == nil {
		n, err = s.DB.CreateNomination(r.Context(), in)
	}
	if err != nil {
		if code := antq.ErrorCode(err); code != antq.EINVALID && code != antq.ECONFLICT {
			s.error(w, r, err)
			return
		}
		status := http.StatusUnprocessableEntity
		if antq.ErrorCode(err) == antq.ECONFLICT {
			status = http.StatusConflict
		}
		s.renderAwards(w, r, status, form, picks, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/awards/%d?saved=1", n.ID), http.StatusSeeOther)
}

// awardPage is one nomination: its dossier (a form while a draft), its
// steps and, once decided, the link to its certificate.
type awardPage struct {
	Layout
	N                      *antq.Nomination
	Form                   map[string]string
	Errors                 map[string]string
	Message                string
	CanNominate, CanDecide bool
	// Documents are the dossier's files; Required, the kinds the form
	// requires (with whether one is there); Disclosure, the form's rule
	// (nil: it asks for none).
	Documents  []*antq.NominationDocument
	Required   []requiredDocument
	Disclosure *rules.DisclosureRule
	Kinds      []antq.DocumentKind
}

// requiredDocument is a document the form requires and whether the
// dossier has it.
type requiredDocument struct {
	Kind     antq.DocumentKind
	Citation rules.Citation
	Present  bool
}

// GET /awards/{id}
func (s *Server) awardShow(w http.ResponseWriter, r *http.Request) {
	s.renderAward(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderAward(w http.ResponseWriter, r *http.Request, status int, form map[string]string, formErr error) {
	n, err := recordOf(r, s.DB.Nomination)
	if err != nil {
		s.error(w, r, err)
		return
	}
	user := antq.UserFromContext(r.Context())
	p := awardPage{Layout: s.layout(r, n.FormName+" — "+n.Candidate()), N: n, Form: form, Errors: map[string]string{},
		CanNominate: user.Can(antq.PermAwardNominate), CanDecide: user.Can(antq.PermAwardDecide)}
	if p.Documents, err = s.DB.NominationDocuments(r.Context(), n.ID); err != nil {
		s.error(w, r, err)
		return
	}
	p.Kinds = antq.DocumentKinds
	if awards, err := rules.Awards(); err == nil {
		if _, v, err := awards.Form(n.FormCode, antq.MustDate(fmt.Sprintf("%04d-12-31", n.Year))); err == nil {
			p.Disclosure = v.Disclosure
			for _, d := range v.Documents {
				rd := requiredDocument{Kind: antq.DocumentKind(d.Kind), Citation: d.Citation}
				for _, have := range p.Documents {
					rd.Present = rd.Present || have.Kind == rd.Kind
				}
				p.Required = append(p.Required, rd)
			}
		}
	}
	if p.Form == nil {
		p.Form = map[string]string{"reasons": n.Reasons, "achievements": n.Achievements, "proposal_number": n.ProposalNumber,
			"proposal_date": dateValue(n.ProposalDate), "council_on": dateValue(n.CouncilOn), "votes_for": strconv.Itoa(n.VotesFor),
			"votes_against": strconv.Itoa(n.VotesAgainst), "votes_total": strconv.Itoa(n.VotesTotal),
			"disclosed_from": dateValue(n.DisclosedFrom), "disclosed_to": dateValue(n.DisclosedTo), "decision_authority": n.Authority}
	}
	switch {
	case r.URL.Query().Get("saved") != "":
		p.Flash = "Đã lưu."
	case r.URL.Query().Get("done") != "":
		p.Flash = "Đã thực hiện: " + n.State.Label() + "."
	}
	if formErr != nil {
		p.Message = antq.ErrorMessage(formErr)
		if f := antq.ErrorFields(formErr); f != nil {
			p.Errors = f
		}
	}
	s.render(w, r, status, "award", p)
}

func dateValue(d antq.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// POST /awards/{id} — the draft's dossier.
func (s *Server) awardUpdate(w http.ResponseWriter, r *http.Request) {
	s.recordPost(w, r, "/awards/%d?saved=1", s.stepFailed, func(id int64) (map[string]string, error) {
		f := newFormParser(r)
		in, form := nominationForm(f)
		if err := f.err(); err != nil {
			return form, err
		}
		_, err := s.DB.UpdateNomination(r.Context(), id, in)
		return form, err
	})
}

// stepFailed answers a refused nomination form with the nomination's page.
func (s *Server) stepFailed(w http.ResponseWriter, r *http.Request, form map[string]string, err error) {
	s.refused(w, r, err, func(status int) { s.renderAward(w, r, status, form, err) })
}

// POST /awards/{id}/step — action=submit|return|decide|refuse|cancel.
func (s *Server) awardStep(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := newFormParser(r)
	action := antq.NominationAction(f.str("action"))
	step := antq.NominationStep{DecisionNumber: f.str("decision_number"), DecisionDate: f.date("decision_date"), DecisionAuthority: f.str("decision_authority"),
		Reason: f.str("reason"), Recovery: f.str("recovery"), CancelledOn: f.date("cancelled_on")}
	err = f.err()
	if err == nil {
		_, err = s.DB.StepNomination(r.Context(), id, action, step)
	}
	if err != nil {
		s.stepFailed(w, r, nil, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/awards/%d?done=%s", id, action), http.StatusSeeOther)
}

// awardCertificatePage is the printable artefact of a decided award.
type awardCertificatePage struct {
	Layout
	N     *antq.Nomination
	Title string // GIẤY KHEN, BẰNG KHEN, …
	Where string // the candidate's unit and its parents
	// Authority is the deciding authority as the certificate names it (a
	// province's chairman with the province's name); Place the province
	// of the date line; Merit the line under the honoree.
	Authority, Place, Merit string
}

// certificateTitle is the artefact's title by form.
func certificateTitle(code string) string {
	switch {
	case strings.HasPrefix(code, "giay_khen"):
		return "GIẤY KHEN"
	case strings.HasPrefix(code, "bang_khen"):
		return "BẰNG KHEN"
	case strings.HasPrefix(code, "co_thi_dua"):
		return "CỜ THI ĐUA"
	}
	return "GIẤY CHỨNG NHẬN"
}

// GET /awards/{id}/certificate — A4 landscape, in the administrative layout.
func (s *Server) awardCertificate(w http.ResponseWriter, r *http.Request) {
	n, err := recordOf(r, s.DB.Nomination)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if n.State != antq.NominationDecided {
		s.error(w, r, antq.Errorf(antq.ENOTFOUND, "Chưa có quyết định khen thưởng còn hiệu lực: không có giấy khen để in"))
		return
	}
	p := awardCertificatePage{Layout: s.layout(r, certificateTitle(n.FormCode)+" — "+n.Candidate()), N: n, Title: certificateTitle(n.FormCode)}
	p.Official = true
	if plan, _, err := s.DB.Plan(r.Context(), n.PlanID); err == nil {
		where := s.honoreePlace(r, plan, n.UnitCode)
		if n.PersonID != 0 {
			where = strings.TrimSuffix(n.UnitName+", "+where, ", ")
		}
		p.Where = where
		if by, err := s.DB.FindUnitByCode(r.Context(), n.NominatedBy, plan.KindDate(antq.KindCommune)); err == nil {
			p.Place = s.provinceName(r, by)
		}
	}
	p.Authority = n.DecisionAuthority
	if low := strings.ToLower(p.Authority); p.Place != "" && (strings.HasSuffix(low, " tỉnh") || strings.HasSuffix(low, " thành phố")) {
		p.Authority += " " + p.Place
	}
	p.Merit = fmt.Sprintf("Đã có thành tích trong phong trào “Toàn dân bảo vệ an ninh Tổ quốc” năm %d", n.Year)
	if strings.HasPrefix(n.FormCode, "ky_niem_chuong") {
		p.Merit = "Đã có nhiều đóng góp cho sự nghiệp bảo vệ an ninh Tổ quốc"
	}
	s.render(w, r, http.StatusOK, "award_certificate", p)
}

// awardsWaiting are the plan's nominations waiting for the caller:
// submitted ones for award:decide, returned drafts for award:nominate.
func (s *Server) awardsWaiting(r *http.Request, planID string) ([]*antq.Nomination, error) {
	user := antq.UserFromContext(r.Context())
	switch {
	case user.Can(antq.PermAwardDecide):
		return s.DB.Nominations(r.Context(), store.NominationFilter{PlanID: planID, State: antq.NominationSubmitted})
	case user.Can(antq.PermAwardNominate):
		drafts, err := s.DB.Nominations(r.Context(), store.NominationFilter{PlanID: planID, State: antq.NominationDraft})
		var out []*antq.Nomination
		for _, n := range drafts {
			if n.Reason != "" {
				out = append(out, n)
			}
		}
		return out, err
	}
	return nil, nil
}

// ---- API ----

// GET /api/v1/awards/nominations?plan=&unit=&state=
func (s *Server) apiNominations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	list, err := s.DB.Nominations(r.Context(), store.NominationFilter{UnitCode: q.Get("unit"), PlanID: q.Get("plan"), State: antq.NominationState(q.Get("state"))})
	respond(s, w, r, map[string]any{"nominations": list}, err)
}

// POST /api/v1/awards/nominations
func (s *Server) apiNominationCreate(w http.ResponseWriter, r *http.Request) {
	createFromBody(s, w, r, s.DB.CreateNomination)
}

// GET /api/v1/awards/nominations/{id}
func (s *Server) apiNominationShow(w http.ResponseWriter, r *http.Request) {
	showByID(s, w, r, s.DB.Nomination)
}

// PUT /api/v1/awards/nominations/{id} — a draft's dossier.
func (s *Server) apiNominationUpdate(w http.ResponseWriter, r *http.Request) {
	saveByID(s, w, r, http.StatusOK, s.DB.UpdateNomination)
}

// POST /api/v1/awards/nominations/{id}/{action}
func (s *Server) apiNominationStep(w http.ResponseWriter, r *http.Request) {
	action := antq.NominationAction(r.PathValue("action"))
	saveByID(s, w, r, http.StatusOK, func(ctx context.Context, id int64, in antq.NominationStep) (*antq.Nomination, error) {
		return s.DB.StepNomination(ctx, id, action, in)
	})
}

// GET /api/v1/awards/suggestions?plan=&unit=
func (s *Server) apiAwardSuggestions(w http.ResponseWriter, r *http.Request) {
	plan, _, err := s.awardPlan(r, r.URL.Query().Get("plan"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	list, err := s.DB.AwardSuggestions(r.Context(), plan.ID, r.URL.Query().Get("unit"))
	respond(s, w, r, map[string]any{"plan": plan.ID, "suggestions": list}, err)
}
