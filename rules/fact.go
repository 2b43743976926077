package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"antq"
)

// The rules of the facts a unit records for a plan, written once. Every path
// that writes facts — the store's single calls, its bulk load, later the
// Excel import — asks these, and the forms show the field errors they give.
// They do no I/O: what the database knows (is the unit registered? its size
// on a date) comes in as arguments.

// RecognitionSet is the first of the rule sets with checklists (TT 124): it
// decides which units register and are recognised. Nil if none has any.
func RecognitionSet(sets []*RuleSet) *RuleSet {
	for _, rs := range sets {
		if len(rs.Checklists) > 0 {
			return rs
		}
	}
	return nil
}

// GradingSet is the first of the rule sets with rubrics (QĐ 510): it decides
// which units are graded. Nil if none has any.
func GradingSet(sets []*RuleSet) *RuleSet {
	for _, rs := range sets {
		if len(rs.Rubrics) > 0 {
			return rs
		}
	}
	return nil
}

// UnitFlags converts a unit's flags to the flags the rule sets' exclusions
// name.
func UnitFlags(f antq.UnitFlags) []Flag {
	var out []Flag
	if f.ArmedForces {
		out = append(out, FlagArmedForces)
	}
	if f.SmallEnterprise {
		out = append(out, FlagSmallMicroEnterprise)
	}
	if f.PrimarySchool {
		out = append(out, FlagPrimaryPreschool)
	}
	if f.NoLegalEntity {
		out = append(out, FlagNoLegalEntity)
	}
	return out
}

// Eligibility tells whether the unit falls under rs, and if not, why (in
// Vietnamese, naming the rule that excludes it). A nil rs applies to nobody.
func Eligibility(rs *RuleSet, u *antq.Unit) (bool, string) {
	if rs == nil {
		return false, "kế hoạch không áp dụng bộ tiêu chí nào cho việc này"
	}
	ok, ex := rs.Eligible(u.Kind, UnitFlags(u.Flags)...)
	switch {
	case ok:
		return true, ""
	case ex != nil:
		return false, fmt.Sprintf("%s không thuộc diện áp dụng: %s (%s)", u.Name, ex.Title, ex.Ref)
	default:
		return false, fmt.Sprintf("%s (%s) không thuộc đối tượng của %s", u.Name, u.Kind.Label(), rs.Source.Number)
	}
}

// UnitDate is the day the plan looks at the unit: its kind's tree date
// (KindDate: the end of its evaluation period where the plan says so, else
// the end of the plan's window), or the unit's last day if it ended before.
func (p *Plan) UnitDate(u *antq.Unit) antq.Date {
	d := p.KindDate(u.Kind)
	if !u.ValidTo.IsZero() && u.ValidTo.Before(d) {
		d = u.ValidTo
	}
	return d
}

// UnitWindow is the evaluation window of units of kind under the plan: the
// first of the plan's rule sets that sets one for the kind decides, else the
// plan's own window.
func (p *Plan) UnitWindow(sets []*RuleSet, kind antq.UnitKind) Period {
	for _, rs := range sets {
		if w, err := rs.Window(kind, p.Year); err == nil {
			return w
		}
	}
	return p.Window
}

// FactRules judge the facts of one unit for a plan. Each Check method
// returns nil or an EINVALID *antq.Error whose fields name each wrong input
// ("unit" when the unit itself may not record the fact).
type FactRules struct {
	Plan   *Plan // nil: no check of what the plan's targets count
	Unit   *antq.Unit
	Sets   []*RuleSet // the rule sets the plan applies
	Window Period     // the unit's evaluation window (Plan.UnitWindow)
	Today  antq.Date  // no fact is dated after it
}

// NewFactRules returns the plan's rules for the unit's facts, judged on
// today.
func NewFactRules(plan *Plan, sets []*RuleSet, u *antq.Unit, today antq.Date) *FactRules {
	return &FactRules{Plan: plan, Unit: u, Sets: sets, Window: plan.UnitWindow(sets, u.Kind), Today: today}
}

// CheckRegistration: only a unit the recognition rules cover registers, on
// a day of its window.
func (r *FactRules) CheckRegistration(in *antq.Registration) error {
	f := antq.FieldErrors{}
	r.competes(f)
	r.eligible(f, RecognitionSet(r.Sets))
	r.dateInWindow(f, "registered_on", in.RegisteredOn, "cần ngày đăng ký", "Ngày đăng ký")
	r.CheckDocument(f, "document", in.Document)
	return f.Err("Đăng ký không hợp lệ")
}

// CheckPropaganda checks a propaganda figure and returns it as it is
// recorded: unique households for communes and residential areas, unique
// persons for organisations (no other kind records propaganda). size is the
// unit's registered size on AsOf (households, or staff plus pupils): a nil
// Total takes it, taken only when every other field is right; a Total other
// than it needs a reason (TotalReason) and is flagged.
func (r *FactRules) CheckPropaganda(in *antq.PropagandaInput, size antq.UnitSize) (*antq.Propaganda, error) {
	f := antq.FieldErrors{}
	r.competes(f)
	kind := r.Unit.Kind
	if !kind.RecordsPropaganda() {
		f.Add("unit", fmt.Sprintf("%s không ghi nhận độ phủ tuyên truyền (chỉ xã, khu dân cư và cơ quan, doanh nghiệp, cơ sở giáo dục)", kind.Label()))
	} else if r.Plan != nil && !r.Plan.CountsPropaganda(r.Sets, r.Unit) {
		f.Add("unit", fmt.Sprintf("kế hoạch %s không có chỉ tiêu tuyên truyền nào tính số liệu của %s (%s); số liệu không được ghi nhận", r.Plan.Document.Number, r.Unit.Name, kind.Label()))
	}
	r.dateInWindow(f, "as_of", in.AsOf, "cần ngày số liệu", "Ngày số liệu")
	if in.Reached == nil {
		f.Add("reached", "cần số đã được tuyên truyền")
	} else if *in.Reached < 0 {
		f.Add("reached", "số đã được tuyên truyền không được âm")
	}
	registered := size.Households
	if !kind.CountsHouseholds() {
		registered = size.Persons()
	}
	total := in.Total
	if total == nil && !in.AsOf.IsZero() && len(f) == 0 {
		total = registered
		if total == nil {
			f.Add("total", "đơn vị chưa có số hộ / số người tại ngày này; hãy nhập tổng số")
		}
	}
	reason := strings.TrimSpace(in.TotalReason)
	if total != nil {
		switch {
		case *total <= 0:
			f.Add("total", "tổng số phải lớn hơn 0")
		case in.Reached != nil && *in.Reached > *total:
			f.Add("reached", fmt.Sprintf("số đã được tuyên truyền (%d) lớn hơn tổng số (%d)", *in.Reached, *total))
		}
		differs := registered != nil && *registered != *total
		switch {
		case differs && reason == "":
			f.Add("total_reason", fmt.Sprintf("tổng số %d khác quy mô đăng ký của đơn vị tại ngày %s (%d); cần ghi lý do", *total, in.AsOf.VN(), *registered))
		case utf8.RuneCountInString(reason) > 500:
			f.Add("total_reason", "lý do quá dài (tối đa 500 ký tự)")
		case !differs:
			reason = "" // the registered size needs no reason
		}
	}
	r.CheckDocument(f, "document", in.Document)
	if err := f.Err("Số liệu tuyên truyền không hợp lệ"); err != nil {
		return nil, err
	}
	return &antq.Propaganda{Reached: *in.Reached, Total: *total, AsOf: in.AsOf, Document: in.Document,
		RegisteredTotal: registered, TotalReason: reason}, nil
}

// CheckNewModel returns the model in describes, checked; its name, kind and
// status are required.
func (r *FactRules) CheckNewModel(in antq.ModelInput) (*antq.Model, error) {
	m := &antq.Model{} // not yet assessed, so not effective
	in.Apply(m)
	f := antq.FieldErrors{}
	for field, missing := range map[string]bool{"name": in.Name == nil, "kind": in.Kind == nil, "status": in.Status == nil} {
		if missing {
			f.Add(field, "trường bắt buộc")
		}
	}
	if err := f.Err("Mô hình không hợp lệ"); err != nil {
		return nil, err
	}
	return m, r.checkModel(m, func(string) bool { return true })
}

// CheckModelChange returns old with the fields present in in changed,
// checked; name, kind and status are checked only when given.
func (r *FactRules) CheckModelChange(old *antq.Model, in antq.ModelInput) (*antq.Model, error) {
	m := *old
	in.Apply(&m)
	given := func(field string) bool {
		switch field {
		case "name":
			return in.Name != nil
		case "kind":
			return in.Kind != nil
		case "status":
			return in.Status != nil
		}
		return false
	}
	return &m, r.checkModel(&m, given)
}

// CheckModel checks a whole model (its name trimmed), as a bulk load gives
// it.
func (r *FactRules) CheckModel(m *antq.Model) error {
	m.Name = strings.TrimSpace(m.Name)
	return r.checkModel(m, func(string) bool { return true })
}

// checkModel: communes, residential areas and organisations build models,
// of a kind of the rule sets' catalogue; a new model starts in the window,
// any model before its end.
func (r *FactRules) checkModel(m *antq.Model, given func(field string) bool) error {
	f := antq.FieldErrors{}
	r.competes(f)
	if kind := r.Unit.Kind; !kind.BuildsModels() {
		f.Add("unit", fmt.Sprintf("%s không xây dựng mô hình (chỉ xã, khu dân cư và cơ quan, doanh nghiệp, cơ sở giáo dục)", kind.Label()))
	}
	if given("name") && m.Name == "" {
		f.Add("name", "cần tên mô hình")
	} else if utf8.RuneCountInString(m.Name) > 200 {
		f.Add("name", "tên mô hình quá dài (tối đa 200 ký tự)")
	}
	if given("kind") {
		found := false
		var codes []string
		for _, rs := range r.Sets {
			if _, ok := rs.ModelKind(m.Kind); ok {
				found = true
			}
			for _, mk := range rs.ModelKinds {
				codes = append(codes, mk.Code)
			}
		}
		if !found {
			f.Add("kind", fmt.Sprintf("loại mô hình %q không có trong danh mục (%s)", m.Kind, strings.Join(codes, ", ")))
		}
	}
	if given("status") && !m.Status.Valid() {
		f.Add("status", fmt.Sprintf("trạng thái %q không hợp lệ (new, consolidated, maintained)", m.Status))
	}
	if m.Members < 0 {
		f.Add("members", "số thành viên không được âm")
	}
	if !m.StartedOn.IsZero() {
		r.CheckNotFuture(f, "started_on", m.StartedOn)
		if m.Status == antq.ModelNew {
			r.checkInWindow(f, "started_on", m.StartedOn, "Mô hình xây dựng mới trong năm nhưng ngày bắt đầu")
		} else if r.Window.To.Before(m.StartedOn) {
			f.Add("started_on", "ngày bắt đầu sau kỳ đánh giá")
		}
	}
	r.checkAssessment(f, m)
	r.CheckDocument(f, "document", m.Document)
	return f.Err("Mô hình không hợp lệ")
}

// checkRequiredText adds missing to f under field when v is empty, and a
// "too long" error when v has more than most characters.
func checkRequiredText(f antq.FieldErrors, field, v, missing string, most int) {
	if v == "" {
		f.Add(field, missing)
	} else if utf8.RuneCountInString(v) > most {
		f.Add(field, fmt.Sprintf("quá dài (tối đa %d ký tự)", most))
	}
}

// checkAssessment: a model counts as effective only after an explicit
// assessment (REFERENCE §5.6) — when (not in the future, not before the
// model started), by whom and on what basis.
func (r *FactRules) checkAssessment(f antq.FieldErrors, m *antq.Model) {
	a := m.Assessment
	if a == nil {
		if m.Effective {
			f.Add("effective", "mô hình chỉ được tính hoạt động hiệu quả sau khi được đánh giá (ngày, người đánh giá, căn cứ)")
		}
		return
	}
	if a.On.IsZero() {
		f.Add("assessment.on", "cần ngày đánh giá")
	} else {
		r.CheckNotFuture(f, "assessment.on", a.On)
		if !m.StartedOn.IsZero() && a.On.Before(m.StartedOn) {
			f.Add("assessment.on", "ngày đánh giá trước ngày mô hình bắt đầu")
		}
	}
	checkRequiredText(f, "assessment.by", a.By, "cần người / cơ quan đánh giá", 200)
	checkRequiredText(f, "assessment.basis", a.Basis, "cần căn cứ đánh giá (biên bản, báo cáo …)", 1000)
}

// CheckIncident returns the incident in describes (its description
// trimmed), checked: its category is a veto item of a checklist or an
// outcome category of the plan's rule sets.
func (r *FactRules) CheckIncident(in antq.IncidentInput) (*antq.Incident, error) {
	f := antq.FieldErrors{}
	r.competes(f)
	r.dateInWindow(f, "occurred_on", in.OccurredOn, "cần ngày xảy ra", "Ngày xảy ra")
	found := false
	var codes []string
	for _, rs := range r.Sets {
		if _, ok := rs.IncidentCategory(in.Category); ok {
			found = true
		}
		for _, ic := range rs.IncidentCategories() {
			codes = append(codes, ic.Code)
		}
	}
	if !found {
		f.Add("category", fmt.Sprintf("loại vụ việc %q không có trong bộ tiêu chí (%s)", in.Category, strings.Join(codes, ", ")))
	}
	in.Description = strings.TrimSpace(in.Description)
	if in.Description == "" {
		f.Add("description", "cần mô tả vụ việc")
	} else if utf8.RuneCountInString(in.Description) > 4000 {
		f.Add("description", "mô tả quá dài (tối đa 4000 ký tự)")
	}
	r.CheckDocument(f, "document", in.Document)
	if err := f.Err("Vụ việc không hợp lệ"); err != nil {
		return nil, err
	}
	return &antq.Incident{OccurredOn: in.OccurredOn, Category: in.Category, Description: in.Description,
		Verified: in.Verified, Document: in.Document}, nil
}

// CheckRecognition: only a unit the recognition rules cover, and that
// registered (registered says whether it did), is recognised.
func (r *FactRules) CheckRecognition(in *antq.Recognition, registered bool) error {
	f := antq.FieldErrors{}
	r.competes(f)
	if r.eligible(f, RecognitionSet(r.Sets)) && !registered {
		f.Add("unit", "đơn vị chưa đăng ký phấn đấu trong kế hoạch này; chỉ đơn vị đã đăng ký mới được xét công nhận")
	}
	if !in.Result.Valid() {
		f.Add("result", fmt.Sprintf("kết quả %q không hợp lệ (dat, chua_dat)", in.Result))
	}
	r.CheckDecisionDate(f, in.DecidedOn)
	r.CheckDocument(f, "decision", in.Decision)
	return f.Err("Kết quả công nhận không hợp lệ")
}

// CheckGrade: only a unit the grading rules cover is graded; a score is
// 0 to the rubric's maximum. The grade is the one the rubric's bands and
// gates give the score (recognised: the unit's recognition is "đạt"); a
// grade that differs, or one with no score, is an override and needs a
// reason. A decision's date falls in the decision window and not after
// today. CheckGrade sets RubricGrade and Overridden.
func (r *FactRules) CheckGrade(in *antq.GradeRecord, recognised bool) error {
	f := antq.FieldErrors{}
	r.competes(f)
	r.eligible(f, GradingSet(r.Sets))
	if !in.Grade.Valid() {
		f.Add("grade", fmt.Sprintf("xếp loại %q không hợp lệ (xuat_sac, kha, trung_binh, yeu)", in.Grade))
	}
	in.OverrideReason = strings.TrimSpace(in.OverrideReason)
	in.RubricGrade, in.Overridden = "", false
	var rb *Rubric
	if gs := GradingSet(r.Sets); gs != nil {
		rb, _ = gs.Rubric(r.Unit.Kind)
	}
	switch {
	case in.Score != nil && (*in.Score < 0 || *in.Score > 1000 || rb != nil && *in.Score > rb.Total()):
		max := antq.Tenths(1000)
		if rb != nil {
			max = rb.Total()
		}
		f.Add("score", "điểm phải từ 0 đến "+max.VN())
	case rb == nil:
	case in.Score == nil:
		if in.OverrideReason == "" && in.Grade.Valid() {
			f.Add("score", "cần tổng điểm để xếp loại theo bảng điểm, hoặc lý do xếp loại không theo điểm")
		}
	default:
		g, reasons := rb.Grade(*in.Score, recognised)
		in.RubricGrade = g
		if g != in.Grade && in.Grade.Valid() && in.OverrideReason == "" {
			f.Add("override_reason", fmt.Sprintf("%s Xếp loại %s khác loại theo bảng điểm (%s) cần lý do.",
				strings.Join(reasons, " "), in.Grade.Label(), g.Label()))
		}
	}
	if in.RubricGrade == in.Grade && in.Score != nil {
		in.OverrideReason = "" // the rubric's own grade needs no reason
	}
	if utf8.RuneCountInString(in.OverrideReason) > 1000 {
		f.Add("override_reason", "lý do quá dài (tối đa 1000 ký tự)")
	}
	in.Overridden = in.OverrideReason != ""
	r.CheckDocument(f, "decision", in.Decision)
	if in.Decision != nil && !in.Decision.Date.IsZero() {
		CheckDecisionDate(f, "decision.date", in.Decision.Date, r.Window, r.Today)
	}
	return f.Err("Xếp loại không hợp lệ")
}

// CheckDecisionChange keeps decisions decided: once a recognition or grade
// carries a decision (old), it changes only by a new decision (a different
// number, not dated before old) that names old's number in replaces. It
// returns the decision replaced (nil when there was none to replace); an
// attempt to overwrite is ECONFLICT.
func CheckDecisionChange(old, decision *antq.DocumentRef, replaces string) (*antq.DocumentRef, error) {
	replaces = strings.TrimSpace(replaces)
	if old == nil {
		if replaces != "" {
			return nil, antq.Invalid("Không có quyết định để thay thế", map[string]string{"replaces": "kết quả hiện tại chưa có quyết định nào"})
		}
		return nil, nil
	}
	locked := fmt.Sprintf("Kết quả đã có quyết định số %s ngày %s; chỉ thay đổi được bằng một quyết định mới ghi rõ quyết định được thay thế", old.Number, old.Date.VN())
	switch {
	case decision == nil || strings.EqualFold(strings.TrimSpace(decision.Number), old.Number):
		return nil, &antq.Error{Code: antq.ECONFLICT, Message: locked, Fields: map[string]string{"decision.number": "cần số của quyết định mới"}}
	case !strings.EqualFold(replaces, old.Number):
		return nil, &antq.Error{Code: antq.ECONFLICT, Message: locked, Fields: map[string]string{"replaces": "ghi số quyết định được thay thế: " + old.Number}}
	case !decision.Date.IsZero() && decision.Date.Before(old.Date):
		return nil, antq.Invalid("Quyết định mới không hợp lệ", map[string]string{"decision.date": "quyết định mới ban hành trước quyết định được thay thế (" + old.Date.VN() + ")"})
	}
	return old, nil
}

// CheckDecidedDelete refuses to delete a result that carries a decision
// (decision): it is replaced by a new decision, never removed.
func CheckDecidedDelete(decision *antq.DocumentRef) error {
	if decision == nil {
		return nil
	}
	return antq.Errorf(antq.ECONFLICT, "Kết quả đã có quyết định số %s ngày %s nên không xóa được; hãy ghi quyết định mới thay thế", decision.Number, decision.Date.VN())
}

// CheckDecisionDate: a year-end decision (field "decided_on") falls after
// the window starts and within a year of its end, and not in the future.
func (r *FactRules) CheckDecisionDate(f antq.FieldErrors, d antq.Date) {
	CheckDecisionDate(f, "decided_on", d, r.Window, r.Today)
}

// CheckDecisionDate adds a field error unless d, the date of a year-end
// decision, is given, falls after the evaluation window starts and within
// a year of its end, and is not after today.
func CheckDecisionDate(f antq.FieldErrors, field string, d antq.Date, window Period, today antq.Date) {
	if d.IsZero() {
		f.Add(field, "cần ngày quyết định")
		return
	}
	from, to := window.From, window.To.AddDays(366)
	if d.Before(from) || d.After(to) {
		f.Add(field, fmt.Sprintf("ngày quyết định %s nằm ngoài khoảng %s – %s của kỳ đánh giá", d.VN(), from.VN(), to.VN()))
	}
	CheckNotFuture(f, field, d, today)
}

// CheckDocument checks a document reference (nil: none) and that it is not
// dated in the future; field names it in errors.
func (r *FactRules) CheckDocument(f antq.FieldErrors, field string, d *antq.DocumentRef) {
	if d == nil {
		return
	}
	d.Validate(f, field)
	if !d.Date.IsZero() {
		r.CheckNotFuture(f, field+".date", d.Date)
	}
}

// CheckNotFuture adds a field error for a date after today.
func (r *FactRules) CheckNotFuture(f antq.FieldErrors, field string, d antq.Date) {
	CheckNotFuture(f, field, d, r.Today)
}

// CheckNotFuture adds a field error for a date after today.
func CheckNotFuture(f antq.FieldErrors, field string, d, today antq.Date) {
	if d.After(today) {
		f.Add(field, "ngày "+d.VN()+" ở tương lai")
	}
}

// competes adds the reason the plan leaves the unit out of the movement
// (its "đối tượng thi đua", Plan.Exclusions), if it does: such a unit
// records no fact for the plan.
func (r *FactRules) competes(f antq.FieldErrors) bool {
	if r.Plan == nil {
		return true
	}
	if e := r.Plan.Excludes(r.Unit.Kind, r.Unit.Flags); e != nil {
		f.Add("unit", fmt.Sprintf("%s không thuộc đối tượng thi đua của kế hoạch %s: %s (%s)", r.Unit.Name, r.Plan.Document.Number, e.Title, e.Ref))
		return false
	}
	return true
}

// eligible adds the reason the unit falls outside rs, if it does.
func (r *FactRules) eligible(f antq.FieldErrors, rs *RuleSet) bool {
	ok, why := Eligibility(rs, r.Unit)
	if !ok {
		f.Add("unit", why)
	}
	return ok
}

// dateInWindow checks the required date of a fact: given (else missing
// says so), in the window and not in the future; what names it.
func (r *FactRules) dateInWindow(f antq.FieldErrors, field string, d antq.Date, missing, what string) {
	if d.IsZero() {
		f.Add(field, missing)
		return
	}
	r.checkInWindow(f, field, d, what)
	r.CheckNotFuture(f, field, d)
}

// checkInWindow adds a field error unless d lies in the window.
func (r *FactRules) checkInWindow(f antq.FieldErrors, field string, d antq.Date, what string) {
	if w := r.Window; !w.Contains(d) {
		f.Add(field, fmt.Sprintf("%s %s nằm ngoài kỳ đánh giá %s – %s", what, d.VN(), w.From.VN(), w.To.VN()))
	}
}

// CountsPropaganda reports whether a propaganda figure of u would count in
// one of the plan's targets: an organisation's in propaganda_staff, a
// commune's in propaganda_households, a residential area's through its
// commune's. A figure nothing counts is refused rather than kept silently.
func (p *Plan) CountsPropaganda(sets []*RuleSet, u *antq.Unit) bool {
	if p.Excludes(u.Kind, u.Flags) != nil {
		return false
	}
	id, kind := IndicatorPropagandaStaff, u.Kind
	if u.Kind.CountsHouseholds() {
		id, kind = IndicatorPropagandaHouseholds, antq.KindCommune
	}
	t, ok := p.Target(id)
	if !ok || !t.Counts(kind) {
		return false
	}
	flags := UnitFlags(u.Flags)
	if u.Kind == antq.KindResidentialArea {
		flags = nil // the commune's own flags decide; communes carry none
	}
	var rs *RuleSet
	switch t.CountedPopulation() {
	case PopulationAll:
		return true
	case PopulationTT124Eligible:
		rs = RecognitionSet(sets)
	case PopulationGradable:
		rs = GradingSet(sets)
	}
	if rs == nil {
		return false
	}
	in, _ := rs.Eligible(kind, flags...)
	return in
}
