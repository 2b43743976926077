package web

import (
	"net/http"
	"net/url"
	"strings"

	"antq"
	"antq/rules"
	"antq/yearend"
)

type dossierPage struct {
	Layout
	D         *yearend.Dossier
	Plan      *rules.Plan
	Base      string // /plans/{plan}/units/{code}/dossiers/{kind}
	Facts     string // the unit's data-entry page
	CanWrite  bool
	CanDecide bool
	Form      *formState
	Verdicts  []yearend.Verdict
	Grades    []antq.Grade
	Evidence  []*antq.Evidence
	Actions   []dossierAction
	Refused   []string // steps separation of duties refuses the caller, with the reason
}

type dossierAction struct {
	Action yearend.Action
	Label  string
	Needs  string // "reason" or "decision"
}

func dossierBase(plan, code string, kind yearend.DossierKind) string {
	return "/plans/" + url.PathEscape(plan) + "/units/" + url.PathEscape(code) + "/dossiers/" + string(kind)
}

func (s *Server) loadDossierPage(r *http.Request) (*dossierPage, error) {
	ctx := r.Context()
	plan, code, kind := r.PathValue("plan"), r.PathValue("code"), dossierKind(r)
	d, err := s.DB.Dossier(ctx, plan, code, kind)
	if err != nil {
		return nil, err
	}
	_, facts, err := s.DB.UnitFacts(ctx, plan, code)
	if err != nil {
		return nil, err
	}
	user := antq.UserFromContext(ctx)
	p := &dossierPage{Layout: s.layout(r, kind.Label()+" — "+d.Unit.Name), D: d, Plan: d.Plan, Base: dossierBase(d.Plan.ID, d.Unit.Code, kind),
		Facts: "/plans/" + url.PathEscape(d.Plan.ID) + "/units/" + url.PathEscape(d.Unit.Code), CanWrite: user.Can(antq.PermFactWrite),
		CanDecide: user.Can(antq.PermFactDecide), Form: &formState{Values: map[string]string{}, Errors: map[string]string{}},
		Verdicts: []yearend.Verdict{yearend.Unknown, yearend.Met, yearend.NotMet}, Grades: antq.Grades, Evidence: facts.Evidence}
	for _, a := range []dossierAction{
		{yearend.Submit, "Gửi hồ sơ", ""}, {yearend.Review, "Xác nhận thẩm định", ""}, {yearend.Return, "Trả lại", "reason"},
		{yearend.Decide, "Ghi quyết định", "decision"}, {yearend.Reopen, "Mở lại hồ sơ", "reason"},
	} {
		if _, err := yearend.Next(d.State, a.Action); err != nil {
			continue
		}
		if yearend.CheckRole(d.Duty.Actor, a.Action) != nil {
			continue // the role never takes this step: not offered
		}
		if why, ok := d.Refused[a.Action]; ok {
			p.Refused = append(p.Refused, a.Label+": "+why)
			continue
		}
		p.Actions = append(p.Actions, a)
	}
	switch r.URL.Query().Get("done") {
	case "save":
		p.Flash = "Đã lưu hồ sơ."
	case "submit", "review", "return", "decide", "reopen":
		p.Flash = "Hồ sơ: " + d.State.Label() + "."
	}
	return p, nil
}

// GET /plans/{plan}/units/{code}/dossiers/{kind}
func (s *Server) dossierShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.loadDossierPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "dossier", p)
}

func (s *Server) dossierFailed(w http.ResponseWriter, r *http.Request, err error) {
	code := antq.ErrorCode(err)
	if code != antq.EINVALID && code != errBadRequest && code != antq.ECONFLICT && code != antq.EFORBIDDEN {
		s.error(w, r, err)
		return
	}
	p, perr := s.loadDossierPage(r)
	if perr != nil {
		s.error(w, r, perr)
		return
	}
	for k, v := range r.PostForm {
		if len(v) > 0 {
			p.Form.Values[cleanUTF8(k)] = cleanUTF8(v[0])
		}
	}
	p.Form.Message = antq.ErrorMessage(err)
	p.Form.Posted = r.URL.Path == p.Base // the dossier's own form, not a workflow step
	for k, v := range antq.ErrorFields(err) {
		p.Form.Errors[k] = v
	}
	status := http.StatusUnprocessableEntity
	switch code {
	case antq.ECONFLICT:
		status = http.StatusConflict
	case antq.EFORBIDDEN:
		status = http.StatusForbidden // a step the caller may not take: the page says why
	}
	s.render(w, r, status, "dossier", p)
}

// POST /plans/{plan}/units/{code}/dossiers/{kind}: save verdicts, notes,
// documents, scores.
func (s *Server) dossierSave(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	plan, code, kind := r.PathValue("plan"), r.PathValue("code"), dossierKind(r)
	d, err := s.DB.Dossier(r.Context(), plan, code, kind)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var in yearend.DossierInput
	for _, c := range d.Criteria {
		id := c.Criterion.ID
		v := yearend.Verdict(f.str("verdict." + id))
		if v == "" {
			continue
		}
		in.Criteria = append(in.Criteria, yearend.CriterionInput{ID: id, Verdict: v, Note: f.str("note." + id), OverrideReason: f.str("override." + id)})
	}
	for _, doc := range d.Documents {
		c := doc.Doc.Code
		di := yearend.DocumentInput{Code: c, Number: f.str("doc." + c), Date: f.date("docdate." + c)}
		if ev := f.int("docev." + c); ev != nil {
			di.EvidenceID = *ev
		}
		if di.Number != doc.Number || !di.Date.Equal(doc.Date) || di.EvidenceID != doc.EvidenceID {
			in.Documents = append(in.Documents, di)
		}
	}
	for _, sc := range d.Scores {
		id := sc.Item.ID
		si := yearend.ScoreInput{ItemID: id}
		for field, dst := range map[string]**antq.Tenths{"self." + id: &si.Self, "reviewed." + id: &si.Reviewed} {
			if v := f.str(field); v != "" {
				t, err := antq.ParseTenths(v)
				if err != nil {
					f.errors.Add("scores."+id, err.Error())
					continue
				}
				*dst = &t
			}
		}
		// "Lấy điểm tự chấm làm điểm thẩm định": the reviewer takes the
		// self score over, explicitly, for the items it leaves blank.
		if si.Reviewed == nil && f.str("reviewed_from_self") == "1" {
			self := si.Self
			if self == nil {
				self = sc.Self
			}
			if self != nil {
				v := *self
				si.Reviewed = &v
			}
		}
		if si.Self != nil || si.Reviewed != nil {
			in.Scores = append(in.Scores, si)
		}
	}
	if g := antq.Grade(f.str("grade")); g != "" && g != d.ComputedGrade {
		in.Grade, in.OverrideReason = g, f.str("override_reason")
	}
	if err := f.err(); err != nil {
		s.dossierFailed(w, r, err)
		return
	}
	// Mapping of store field names onto the form's.
	if _, err := s.DB.UpdateDossier(r.Context(), plan, code, kind, in); err != nil {
		s.dossierFailed(w, r, renameDossierFields(err, in))
		return
	}
	http.Redirect(w, r, dossierBase(plan, code, kind)+"?done=save", http.StatusSeeOther)
}

// renameDossierFields maps "criteria[2].override_reason" to the form's
// "override.<criterion id>" so the reason shows next to its field.
func renameDossierFields(err error, in yearend.DossierInput) error {
	e, ok := err.(*antq.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	fields := map[string]string{}
	for k, v := range e.Fields {
		nk := k
		for i, c := range in.Criteria {
			prefix := "criteria[" + itoa(i) + "]"
			if strings.HasPrefix(k, prefix) {
				switch strings.TrimPrefix(k, prefix) {
				case ".override_reason":
					nk = "override." + c.ID
				default:
					nk = "verdict." + c.ID
				}
			}
		}
		for i, d := range in.Documents {
			if strings.HasPrefix(k, "documents["+itoa(i)+"]") {
				nk = "doc." + d.Code
			}
		}
		fields[nk] = v
	}
	return &antq.Error{Code: e.Code, Message: e.Message, Fields: fields, Err: e.Err}
}

// POST /plans/{plan}/units/{code}/dossiers/{kind}/{action}
func (s *Server) dossierAct(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	plan, code, kind := r.PathValue("plan"), r.PathValue("code"), dossierKind(r)
	action := yearend.Action(r.PathValue("action"))
	in := yearend.TransitionInput{Reason: f.str("reason"), DecisionNumber: f.str("decision_number"), DecisionDate: f.date("decision_date"),
		SignerTitle: f.str("signer_title"), SignerName: f.str("signer_name")}
	if err := f.err(); err != nil {
		s.dossierFailed(w, r, err)
		return
	}
	if _, err := s.DB.Transition(r.Context(), plan, code, kind, action, in); err != nil {
		s.dossierFailed(w, r, err)
		return
	}
	http.Redirect(w, r, dossierBase(plan, code, kind)+"?done="+string(action), http.StatusSeeOther)
}

type inboxPage struct {
	Layout
	Plan   *rules.Plan
	Items  []yearend.InboxItem
	Total  int
	Late   bool
	Kind   yearend.DossierKind
	Result []yearend.BulkResult
	Form   *formState
	// Parents names each item's parent (unit code → name): see inboxParents.
	Parents map[string]string
	// Filters: the states offered and chosen, the communes in scope and
	// the one chosen; All ticks every box (select all, without script).
	States     []yearend.State
	State      string
	Communes   []*antq.Unit
	Commune    string
	All        bool
	Names      map[string]string // unit code → name, for the bulk results
	Notices    *yearend.Notices  // what the user has to act on
	FilterPath string            // the inbox's URL with its filters, for select all
	// Awards are the plan's nominations waiting for the user: submitted
	// ones for whoever decides (award:decide), returned drafts for the
	// nominators.
	Awards []*antq.Nomination
}

// StateLabel names a state given as text (the bulk results).
func (inboxPage) StateLabel(s string) string { return yearend.State(s).Label() }

// FieldLabel names a form field in Vietnamese.
func (inboxPage) FieldLabel(k string) string { return fieldLabel(k) }

// GET /plans/{plan}/inbox?late=1&kind=
func (s *Server) inboxShow(w http.ResponseWriter, r *http.Request) {
	s.renderInbox(w, r, nil, nil)
}

// planInbox reads the plan of the path and the inbox's filter (inboxFilter).
func (s *Server) planInbox(r *http.Request) (*rules.Plan, yearend.InboxFilter, error) {
	plan, _, err := s.DB.Plan(r.Context(), r.PathValue("plan"))
	if err != nil {
		return nil, yearend.InboxFilter{}, err
	}
	f, err := inboxFilter(r)
	return plan, f, err
}

func (s *Server) renderInbox(w http.ResponseWriter, r *http.Request, results []yearend.BulkResult, formErr error) {
	plan, f, err := s.planInbox(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	f.Under = q.Get("commune")
	items, total, err := s.DB.Inbox(r.Context(), plan.ID, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := inboxPage{Layout: s.layout(r, "Hồ sơ chờ xử lý"), Plan: plan, Items: items, Total: total, Late: f.Late, Kind: f.Kind, Result: results,
		Form:   &formState{Values: map[string]string{}, Errors: map[string]string{}},
		States: []yearend.State{yearend.Draft, yearend.Submitted, yearend.Returned, yearend.Reviewed, yearend.Decided},
		State:  q.Get("state"), Commune: f.Under, All: q.Get("all") == "1", Names: map[string]string{}}
	// The inbox holds the caller's scope: its communes are the caller's
	// unit's.
	if user := antq.UserFromContext(r.Context()); user != nil && user.UnitCode != "" {
		var unit *antq.Unit
		if unit, err = s.DB.FindUnitByCode(r.Context(), user.UnitCode, plan.Window.To); err == nil {
			page.Communes, err = s.communesUnder(r.Context(), unit, plan.Window.To)
		}
		if err != nil && antq.ErrorCode(err) != antq.ENOTFOUND {
			s.error(w, r, err)
			return
		}
	}
	keep := url.Values{}
	for _, k := range []string{"late", "kind", "state", "commune"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	page.FilterPath = "/plans/" + plan.ID + "/inbox?" + keep.Encode()
	if page.Notices, err = s.DB.Notices(r.Context(), plan.ID, 10); err != nil {
		s.error(w, r, err)
		return
	}
	for _, res := range results {
		if u, err := s.DB.FindUnitByCode(r.Context(), res.Code, plan.Window.To); err == nil {
			page.Names[res.Code] = u.Name
		}
	}
	if page.Parents, err = s.inboxParents(r, items, plan.Window.To); err != nil {
		s.error(w, r, err)
		return
	}
	if page.Awards, err = s.awardsWaiting(r, plan.ID); err != nil {
		s.error(w, r, err)
		return
	}
	status := http.StatusOK
	if formErr != nil {
		page.Form.Message = antq.ErrorMessage(formErr)
		for k, v := range antq.ErrorFields(formErr) {
			page.Form.Errors[k] = v
		}
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "inbox", page)
}

// POST /plans/{plan}/inbox: bulk review, return or decision of the ticked
// dossiers ("unit" values are "kind:code").
func (s *Server) inboxBulk(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	action := yearend.Action(f.str("action"))
	in := yearend.TransitionInput{Reason: f.str("reason"), DecisionNumber: f.str("decision_number"), DecisionDate: f.date("decision_date"),
		SignerTitle: f.str("signer_title"), SignerName: f.str("signer_name")}
	if err := f.err(); err != nil {
		s.renderInbox(w, r, nil, err)
		return
	}
	byKind := map[yearend.DossierKind][]string{}
	for _, v := range r.PostForm["unit"] {
		kind, code, ok := strings.Cut(v, ":")
		if ok {
			byKind[yearend.DossierKind(kind)] = append(byKind[yearend.DossierKind(kind)], code)
		}
	}
	if len(byKind) == 0 {
		s.renderInbox(w, r, nil, antq.Invalid("Chưa chọn hồ sơ", map[string]string{"unit": "hãy đánh dấu ít nhất một hồ sơ"}))
		return
	}
	var all []yearend.BulkResult
	for _, kind := range []yearend.DossierKind{yearend.DossierRecognition, yearend.DossierGrading} {
		if len(byKind[kind]) == 0 {
			continue
		}
		res, err := s.DB.BulkTransition(r.Context(), r.PathValue("plan"), byKind[kind], kind, action, in)
		if err != nil {
			s.renderInbox(w, r, nil, err)
			return
		}
		all = append(all, res...)
	}
	s.renderInbox(w, r, all, nil)
}

type decisionsPage struct {
	Layout
	Plan   *rules.Plan
	Unit   *antq.Unit
	Kind   yearend.DossierKind
	Rows   []yearend.DecisionRow
	Groups []decisionGroup
	XLSX   string
	// Certificates prints every Giấy công nhận of the list.
	Certificates string
}

type decisionGroup struct {
	Number     string
	Date       antq.Date
	Authority  string
	Place      string
	Signer     string // title in the signature block
	SignerName string
	Rows       []yearend.DecisionRow
}

// GET /plans/{plan}/decisions?unit=CODE&kind=recognition: the lists attached
// to each decision (issuer, number, date), as printed. A recognition
// decision lists the units recognised "đạt" only.
func (s *Server) decisionsShow(w http.ResponseWriter, r *http.Request) {
	kind := yearend.DossierKind(r.URL.Query().Get("kind"))
	if kind == "" {
		kind = yearend.DossierRecognition
	}
	plan, unit, err := s.planAndUnit(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rows, err := s.DB.Decisions(r.Context(), plan.ID, unit.Code, kind)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := decisionsPage{Layout: s.layout(r, "Danh sách quyết định"), Plan: plan, Unit: unit, Kind: kind, Rows: rows,
		XLSX:         "/plans/" + url.PathEscape(plan.ID) + "/results.xlsx?unit=" + url.QueryEscape(unit.Code),
		Certificates: "/plans/" + url.PathEscape(plan.ID) + "/certificates?unit=" + url.QueryEscape(unit.Code)}
	page.Official = true
	var last yearend.DecisionKey
	for _, row := range rows {
		if kind == yearend.DossierRecognition && row.Result != string(antq.RecognitionMet) {
			continue
		}
		if n := len(page.Groups); n == 0 || last != row.Key() {
			page.Groups = append(page.Groups, decisionGroup{Number: row.DecisionNumber, Date: row.DecisionDate, Authority: row.AuthorityLabel,
				Place: row.Place(), Signer: row.Signer(), SignerName: row.SignerName})
			last = row.Key()
		}
		g := &page.Groups[len(page.Groups)-1]
		g.Rows = append(g.Rows, row)
	}
	s.render(w, r, http.StatusOK, "decisions", page)
}

type certificatePage struct {
	Layout
	Unit         *antq.Unit
	Certificates []certificateView
}

// certificateView is one Giấy công nhận as printed.
type certificateView struct {
	Year  int
	Row   yearend.DecisionRow
	Where string // the honoree's commune, district, province
}

// GET /plans/{plan}/units/{code}/certificate: the Giấy công nhận of a unit
// recognised through a decided dossier.
func (s *Server) certificate(w http.ResponseWriter, r *http.Request) {
	s.certificates(w, r, r.PathValue("code"), true)
}

// GET /plans/{plan}/certificates?unit=CODE: every Giấy công nhận of the units
// under CODE (itself included), one per printed page.
func (s *Server) certificatesShow(w http.ResponseWriter, r *http.Request) {
	s.certificates(w, r, r.URL.Query().Get("unit"), false)
}

func (s *Server) certificates(w http.ResponseWriter, r *http.Request, code string, only bool) {
	plan, _, err := s.DB.Plan(r.Context(), r.PathValue("plan"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if code == "" {
		code = plan.RootUnit
	}
	unit, _, err := s.DB.PlanUnit(r.Context(), plan.ID, code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rows, err := s.DB.Decisions(r.Context(), plan.ID, code, yearend.DossierRecognition)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := certificatePage{Layout: s.layout(r, "Giấy công nhận — "+unit.Name), Unit: unit}
	page.Official = true
	for _, row := range rows {
		if row.Result != string(antq.RecognitionMet) || (only && row.Unit.Code != code) {
			continue
		}
		page.Certificates = append(page.Certificates, certificateView{Year: plan.Year, Row: row, Where: s.honoreePlace(r, plan, row.Unit.Code)})
	}
	if only && len(page.Certificates) == 0 {
		s.error(w, r, antq.Errorf(antq.ENOTFOUND, "Đơn vị chưa có quyết định công nhận đạt tiêu chuẩn"))
		return
	}
	s.render(w, r, http.StatusOK, "certificate", page)
}

// honoreePlace names where the recognised unit is: its ancestors from the
// commune up to the province ("Phường Tân Phú, Thành phố Đồng Xoài, Tỉnh
// Bình Phước"), as the tree stood at the end of the plan year.
func (s *Server) honoreePlace(r *http.Request, plan *rules.Plan, code string) string {
	anc, err := s.DB.Ancestors(r.Context(), code, plan.Window.To)
	if err != nil {
		return ""
	}
	var names []string
	for _, kind := range []antq.UnitKind{antq.KindCommune, antq.KindDistrict, antq.KindProvince} {
		for _, a := range anc {
			if a.Kind == kind && a.Code != code {
				names = append(names, a.Name)
			}
		}
	}
	return strings.Join(names, ", ")
}
