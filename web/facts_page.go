package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"antq"
	"antq/rules"
	"antq/store"
	"antq/yearend"
)

// factsPage is the data-entry page (Nhập liệu) of one unit for one plan.
type factsPage struct {
	// RecognitionDossier and GradeDossier: the state of the year-end
	// dossier that governs the result, when one exists; the result is then
	// entered through it, and the page offers no direct form.
	RecognitionDossier, GradeDossier yearend.State
	Layout
	Plan                     *rules.Plan
	Unit                     *antq.Unit
	Crumbs                   []*antq.Unit
	Facts                    *antq.UnitFacts
	CanWrite                 bool
	CanDecide                bool
	Households               bool // propaganda counts households (areas, communes), else persons
	Propaganda               bool // the unit records propaganda at all
	Models                   bool // the unit builds models
	NotEligible, NotGradable string
	ModelKinds               []rules.ModelKind
	EarlierModels            []*store.RegistryEntry // the unit's models of earlier years, to continue (registry.go)
	Incidents                []rules.IncidentCategory
	Grades                   []antq.Grade
	// Collective: the unit is a collective of the grass-roots forces,
	// assessed at one of CollectiveLevels in CollectiveWindow (with its
	// source; unverified where REFERENCE has none).
	Collective         bool
	CollectiveLevels   []antq.CollectiveLevel
	CollectiveWindow   rules.Period
	CollectiveCitation rules.Citation
	Forms              map[string]*formState
	// Versions: each fact's version, sent back by its form (a stale save
	// is refused instead of overwriting another user's change).
	Versions map[string]string
	History  []store.AuditRecord
	// Undoable: the history rows this user may take back (each the newest
	// change of its fact, of a kind data entry records).
	Undoable map[int64]bool
	// Undone says, inside the history (where an undo lands), what was
	// undone.
	Undone string
	Base   string // /plans/{plan}/units/{code}
}

// formState is what a form shows: submitted (or stored) values and the
// reason next to each wrong field.
type formState struct {
	Values  map[string]string
	Errors  map[string]string
	Message string
	// Posted: the form comes back refused, so every field shows what was
	// typed, not what is stored (one wrong score keeps the others).
	Posted bool
}

// Kept returns the field as submitted when the form comes back refused,
// else stored.
func (f *formState) Kept(field, stored string) string {
	if f.Posted {
		return f.Values[field]
	}
	return stored
}

// Value returns what a field holds (as submitted, or as stored).
func (f *formState) Value(field string) string { return f.Values[field] }

// Reason returns why a field was refused, "" if it was not.
func (f *formState) Reason(field string) string { return f.Errors[field] }

// Form returns the state of the named form, never nil.
func (p *factsPage) Form(name string) *formState {
	if f, ok := p.Forms[name]; ok {
		return f
	}
	f := &formState{Values: map[string]string{}, Errors: map[string]string{}}
	p.Forms[name] = f
	return f
}

// ModelKindLabel names a model kind.
func (p *factsPage) ModelKindLabel(code string) string {
	for _, k := range p.ModelKinds {
		if k.Code == code {
			return k.Label
		}
	}
	return code
}

// IncidentLabel names an incident category.
func (p *factsPage) IncidentLabel(code string) string {
	for _, c := range p.Incidents {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

var factNames = map[string]string{
	"registration": "đăng ký phấn đấu", "propaganda": "số liệu tuyên truyền", "model": "mô hình",
	"incident": "vụ việc", "recognition": "kết quả công nhận", "grade": "xếp loại", "evidence": "minh chứng",
	"collective_assessment": "đánh giá tập thể",
}

func (s *Server) loadFactsPage(r *http.Request) (*factsPage, error) {
	ctx := r.Context()
	planID, code := r.PathValue("plan"), r.PathValue("code")
	unit, sets, err := s.DB.PlanUnit(ctx, planID, code)
	if err != nil {
		return nil, err
	}
	plan, _, err := s.DB.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	_, facts, err := s.DB.UnitFacts(ctx, planID, code)
	if err != nil {
		return nil, err
	}
	user := antq.UserFromContext(ctx)
	p := &factsPage{Layout: s.layout(r, "Nhập liệu — "+unit.Name), Plan: plan, Unit: unit, Facts: facts,
		CanWrite: user.Can(antq.PermFactWrite), CanDecide: user.Can(antq.PermFactDecide), Grades: antq.Grades,
		Forms: map[string]*formState{}, Base: "/plans/" + url.PathEscape(plan.ID) + "/units/" + url.PathEscape(unit.Code)}
	p.Households, p.Propaganda, p.Models = unit.Kind.CountsHouseholds(), unit.Kind.RecordsPropaganda(), unit.Kind.BuildsModels()
	_, p.NotEligible = rules.Eligibility(rules.RecognitionSet(sets), unit)
	_, p.NotGradable = rules.Eligibility(rules.GradingSet(sets), unit)
	p.CollectiveWindow, p.CollectiveCitation, p.Collective = rules.CollectiveWindowOf(unit.Kind, plan.Year)
	p.CollectiveLevels = antq.CollectiveLevels
	for _, rs := range sets {
		p.ModelKinds = append(p.ModelKinds, rs.ModelKinds...)
		p.Incidents = append(p.Incidents, rs.IncidentCategories()...)
	}
	if p.Crumbs, err = s.planCrumbs(r, plan, unit); err != nil {
		return nil, err
	}
	if p.CanDecide {
		for kind, dst := range map[yearend.DossierKind]*yearend.State{yearend.DossierRecognition: &p.RecognitionDossier, yearend.DossierGrading: &p.GradeDossier} {
			if d, err := s.DB.Dossier(ctx, planID, code, kind); err == nil && d.ID != 0 {
				*dst = d.State
			}
		}
	}
	if user.Can(antq.PermFactRead) {
		p.History, _ = s.DB.AuditRecords(ctx, store.AuditFilter{UnitCode: unit.Code, Entities: factEntities, Newest: true, Limit: 50})
	}
	if p.Versions, err = s.DB.FactVersions(ctx, plan.ID, unit.Code); err != nil {
		return nil, err
	}
	if p.CanWrite {
		p.Undoable = undoable(p.History, p.Versions, p.Facts)
	}
	if p.Models && p.CanWrite {
		p.EarlierModels = s.earlierModels(r, plan, unit.Code)
	}
	if saved := r.URL.Query().Get("saved"); factNames[saved] != "" {
		p.Flash = "Đã lưu " + factNames[saved] + "."
	} else if del := r.URL.Query().Get("deleted"); factNames[del] != "" {
		p.Flash = "Đã xóa " + factNames[del] + "."
	} else if undone := r.URL.Query().Get("undone"); factNames[undone] != "" {
		p.Flash = "Đã hoàn tác thay đổi " + factNames[undone] + "."
		p.Undone = p.Flash
	}
	p.fillFromFacts()
	return p, nil
}

// fillFromFacts puts the stored values into the forms.
func (p *factsPage) fillFromFacts() {
	doc := func(f *formState, d *antq.DocumentRef) {
		if d != nil {
			f.Values["doc_number"], f.Values["doc_date"], f.Values["doc_issuer"], f.Values["doc_title"] = d.Number, d.Date.String(), d.Issuer, d.Title
		}
	}
	if r := p.Facts.Registration; r != nil {
		f := p.Form("registration")
		f.Values["registered_on"] = r.RegisteredOn.String()
		doc(f, r.Document)
	}
	if pr := p.Facts.Propaganda; pr != nil {
		f := p.Form("propaganda")
		f.Values["reached"], f.Values["total"], f.Values["as_of"] = strconv.FormatInt(pr.Reached, 10), strconv.FormatInt(pr.Total, 10), pr.AsOf.String()
		f.Values["total_reason"] = pr.TotalReason
		doc(f, pr.Document)
	}
	if rc := p.Facts.Recognition; rc != nil {
		f := p.Form("recognition")
		f.Values["result"], f.Values["decided_on"] = string(rc.Result), rc.DecidedOn.String()
		doc(f, rc.Decision)
	}
	if g := p.Facts.Grade; g != nil {
		f := p.Form("grade")
		f.Values["grade"] = string(g.Grade)
		if g.Score != nil {
			f.Values["score"] = g.Score.VN()
		}
		f.Values["override_reason"] = g.OverrideReason
		doc(f, g.Decision)
	}
	if a := p.Facts.CollectiveAssessment; a != nil {
		f := p.Form("collective_assessment")
		f.Values["level"], f.Values["assessed_on"] = string(a.Level), a.AssessedOn.String()
		f.Values["assessed_by"], f.Values["basis"] = a.AssessedBy, a.Basis
		doc(f, a.Decision)
	}
	if p.Form("model").Values["status"] == "" {
		p.Form("model").Values["status"] = string(antq.ModelNew)
	}
}

// factEntities are the audit entities a unit's history shows: its facts and
// dossiers, not account or login records.
var factEntities = []string{"registration", "propaganda", "model", "incident", "recognition", "grade", "evidence",
	"collective_assessment", "dossier_recognition", "dossier_grading", "unit"}

// GET /plans/{plan}/units/{code}
func (s *Server) factsShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.loadFactsPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "facts", p)
}

// formFailed re-renders the page with the submitted values and the reasons
// next to the fields, or answers with the error page for anything but a
// validation error.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, form string, err error) {
	code := antq.ErrorCode(err)
	if code != antq.EINVALID && code != errBadRequest && code != antq.ECONFLICT {
		s.error(w, r, err)
		return
	}
	p, perr := s.loadFactsPage(r)
	if perr != nil {
		s.error(w, r, perr)
		return
	}
	f := p.Form(form)
	// A stale save shows the values as they are now (another user's), so
	// that the user sees what changed before saving again.
	if !errors.Is(err, antq.ErrStaleVersion) {
		f.Values = map[string]string{}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				f.Values[cleanUTF8(k)] = cleanUTF8(v[0])
			}
		}
	}
	f.Message = antq.ErrorMessage(err)
	for k, v := range antq.ErrorFields(err) {
		k = strings.NewReplacer("document.", "doc_", "decision.", "doc_").Replace(k)
		f.Errors[k] = v
	}
	p.Flash = ""
	status := http.StatusUnprocessableEntity
	if code == antq.ECONFLICT {
		status = http.StatusConflict
	}
	s.render(w, r, status, "facts", p)
}

func (s *Server) formSaved(w http.ResponseWriter, r *http.Request, what string, deleted bool) {
	key := "saved"
	if deleted {
		key = "deleted"
	}
	http.Redirect(w, r, "/plans/"+url.PathEscape(r.PathValue("plan"))+"/units/"+url.PathEscape(r.PathValue("code"))+"?"+key+"="+what+"#"+what, http.StatusSeeOther)
}

// formParser reads typed values from a posted form and collects the reason
// for each one it cannot read. Every form handler parses through it (or
// calls formEncodingErr itself), so a field that is not valid UTF-8 is
// refused whichever form it comes in.
type formParser struct {
	r       *http.Request
	errors  antq.FieldErrors
	badUTF8 bool // some field is not UTF-8: the form is refused as a whole
}

func newFormParser(r *http.Request) *formParser {
	r.ParseForm()
	f := formEncodingErrors(r)
	return &formParser{r: r, errors: f, badUTF8: len(f) > 0}
}

// factForm parses a data-entry form and the {id} of its path (0 on a path
// without one); a form refused outright (not UTF-8) or a bad id is answered
// here, before any change or deletion, and ok is false.
func (s *Server) factForm(w http.ResponseWriter, r *http.Request, form string) (f *formParser, id int64, ok bool) {
	f = newFormParser(r)
	if err := f.err(); err != nil {
		s.formFailed(w, r, form, err)
		return nil, 0, false
	}
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r); err != nil {
			s.error(w, r, err)
			return nil, 0, false
		}
	}
	return f, id, true
}

func (p *formParser) str(name string) string { return strings.TrimSpace(p.r.PostFormValue(name)) }

// date reads YYYY-MM-DD (a date input) or dd/mm/yyyy (typed by hand).
func (p *formParser) date(name string) antq.Date {
	v := p.str(name)
	if v == "" {
		return antq.Date{}
	}
	if d, err := antq.ParseDate(v); err == nil {
		return d
	}
	if d, ok := parseDMY(v); ok {
		return d
	}
	p.errors.Add(name, "ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 15/02/2023")
	return antq.Date{}
}

// parseDMY reads a date typed dd/mm/yyyy (d/m/yyyy too).
func parseDMY(v string) (antq.Date, bool) {
	parts := strings.Split(strings.TrimSpace(v), "/")
	if len(parts) != 3 || len(parts[2]) != 4 {
		return antq.Date{}, false
	}
	d, err := antq.ParseDate(parts[2] + "-" + pad2(parts[1]) + "-" + pad2(parts[0]))
	return d, err == nil
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// int reads a whole number, allowing Vietnamese thousands separators.
func (p *formParser) int(name string) *int64 {
	v := strings.NewReplacer(".", "", " ", "", "\u00a0", "").Replace(p.str(name))
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		p.errors.Add(name, "cần một số nguyên")
		return nil
	}
	return &n
}

func (p *formParser) document() *antq.DocumentRef {
	d := &antq.DocumentRef{Number: p.str("doc_number"), Date: p.date("doc_date"), Issuer: p.str("doc_issuer"), Title: p.str("doc_title")}
	if d.Number == "" && d.Date.IsZero() && d.Issuer == "" && d.Title == "" {
		return nil
	}
	return d
}

func (p *formParser) err() error {
	if p.badUTF8 {
		return p.errors.Err(msgFormEncoding)
	}
	return p.errors.Err("Dữ liệu nhập chưa đúng")
}

func (p *formParser) deleting() bool { return p.str("action") == "delete" }

// POST /plans/{plan}/units/{code}/evidence-form (multipart: fact, fact_id, file)
func (s *Server) formEvidence(w http.ResponseWriter, r *http.Request) {
	limit := s.DB.EvidenceLimits().MaxBytes
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		s.formFailed(w, r, "evidence", antq.Invalid("Tệp minh chứng không hợp lệ", map[string]string{"file": "tệp quá lớn hoặc biểu mẫu hỏng"}))
		return
	}
	defer r.MultipartForm.RemoveAll()
	if err := formEncodingErr(r); err != nil {
		s.formFailed(w, r, "evidence", err)
		return
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		s.formFailed(w, r, "evidence", antq.Invalid("Thiếu tệp minh chứng", map[string]string{"file": "hãy chọn một tệp"}))
		return
	}
	defer file.Close()
	in := store.EvidenceInput{Fact: antq.FactKind(r.FormValue("fact")), Filename: header.Filename, Body: file}
	if v := r.FormValue("fact_id"); v != "" {
		in.FactID, _ = strconv.ParseInt(v, 10, 64)
	}
	plan, code := factPath(r)
	if _, err := s.DB.AddEvidence(r.Context(), plan, code, in); err != nil {
		s.formFailed(w, r, "evidence", err)
		return
	}
	s.formSaved(w, r, "evidence", false)
}

// deleteQuestions name each fact form's deletion, as the confirmation asks.
var deleteQuestions = map[string]struct{ question, button string }{
	"registration": {"Rút đăng ký phấn đấu của %s?", "Đồng ý rút đăng ký"},
	"propaganda":   {"Xóa số liệu tuyên truyền của %s?", "Đồng ý xóa số liệu"},
	"model":        {"Xóa mô hình này của %s?", "Đồng ý xóa mô hình"},
	"incident":     {"Xóa vụ việc này của %s?", "Đồng ý xóa vụ việc"},
	"recognition":  {"Xóa kết quả công nhận của %s?", "Đồng ý xóa kết quả"},
	"grade":        {"Xóa xếp loại của %s?", "Đồng ý xóa xếp loại"},
}

type confirmPage struct {
	Layout
	Question, Button string
	Note             string // what follows; "" is the deletion's note
	Action           string // where the confirmed action is posted
	Delete           bool   // the form posts action=delete (a fact form's deletion)
	Back             string
}

// confirmDelete answers a deletion asked from a form with a page that asks
// again (no script needed): its button posts the same deletion with
// confirm=yes; its link goes back to the form untouched.
func (s *Server) confirmDelete(w http.ResponseWriter, r *http.Request, form string) {
	plan, code := factPath(r)
	unit, _, err := s.DB.PlanUnit(r.Context(), plan, code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := deleteQuestions[form]
	if q.question == "" {
		q.question, q.button = "Xóa số liệu này của %s?", "Đồng ý xóa"
	}
	question := fmt.Sprintf(q.question, unit.Name)
	if id, err := pathID(r); err == nil && form == "model" {
		// Name the model: a unit may have several (of the same name, even).
		models, err := s.DB.ListModels(r.Context(), plan, code)
		if err != nil {
			s.error(w, r, err)
			return
		}
		for _, m := range models {
			if m.ID == id {
				question = fmt.Sprintf("Xóa mô hình “%s” (%s, bắt đầu %s) của %s?", m.Name, strings.ToLower(m.Status.Label()), startedText(m.StartedOn), unit.Name)
			}
		}
	}
	page := confirmPage{Layout: s.layout(r, "Xác nhận xóa — "+unit.Name), Question: question, Button: q.button, Delete: true,
		Action: r.URL.Path, Back: "/plans/" + url.PathEscape(plan) + "/units/" + url.PathEscape(code) + "#" + form}
	s.render(w, r, http.StatusOK, "confirm", page)
}

// startedText is a model's start date as the confirmation says it.
func startedText(d antq.Date) string {
	if d.IsZero() {
		return "chưa ghi ngày"
	}
	return d.VN()
}
