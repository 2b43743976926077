// Package yearend holds the pure rules of the year-end work: the automatic
// suggestions on each criterion of the "An toàn về an ninh, trật tự"
// checklist (Thông tư 124/2021/TT-BCA), the conjunctive result, scoring
// against the QĐ 510 rubric, and the dossier workflow's states and
// transitions. It does no I/O.
package yearend

import (
	"fmt"
	"slices"
	"strings"

	"antq"
	"antq/rules"
)

// State is where a dossier stands in the workflow.
type State string

const (
	Draft     State = "draft"     // the unit (or its commune police) prepares it
	Submitted State = "submitted" // sent up for review
	Returned  State = "returned"  // sent back with a reason the submitter sees
	Reviewed  State = "reviewed"  // checked by the reviewer, awaiting the decision
	Decided   State = "decided"   // decided by the competent authority: locked
)

var states = antq.CodeList[State]{
	{Code: Draft, Label: "Đang lập"},
	{Code: Submitted, Label: "Đã gửi, chờ thẩm định"},
	{Code: Returned, Label: "Bị trả lại"},
	{Code: Reviewed, Label: "Đã thẩm định, chờ quyết định"},
	{Code: Decided, Label: "Đã quyết định"},
}

// Label is the Vietnamese name of the state.
func (s State) Label() string { return states.Label(s) }

// Action moves a dossier from one state to another.
type Action string

const (
	Submit Action = "submit"
	Return Action = "return"
	Review Action = "review"
	Decide Action = "decide"
	Reopen Action = "reopen" // a decided dossier reopened: the change needs a new decision
)

// Next returns the state an action leads to from s, or an error naming why
// the action is not allowed now.
func Next(s State, a Action) (State, error) {
	switch {
	case a == Submit && (s == Draft || s == Returned):
		return Submitted, nil
	case a == Return && (s == Submitted || s == Reviewed):
		return Returned, nil
	case a == Review && s == Submitted:
		return Reviewed, nil
	case a == Decide && s == Reviewed:
		return Decided, nil
	case a == Reopen && s == Decided:
		return Draft, nil
	}
	return s, fmt.Errorf("không thể %s hồ sơ đang ở trạng thái “%s”", actionLabel(a), s.Label())
}

// actionVerbs are the actions as the verbs of a refusal ("không thể gửi …").
var actionVerbs = antq.CodeList[Action]{
	{Code: Submit, Label: "gửi"},
	{Code: Return, Label: "trả lại"},
	{Code: Review, Label: "thẩm định"},
	{Code: Decide, Label: "quyết định"},
	{Code: Reopen, Label: "mở lại"},
}

func actionLabel(a Action) string { return actionVerbs.Label(a) }

// Editable reports whether the content of a dossier in s may change.
func (s State) Editable() bool { return s == Draft || s == Returned || s == Submitted }

// Verdict is a criterion's assessment: met, not met, or not known yet.
type Verdict string

const (
	Met     Verdict = "met"
	NotMet  Verdict = "not_met"
	Unknown Verdict = "unknown"
	// Pending: it cannot be assessed until other decisions are made (a
	// commune's criterion on its subordinate units).
	Pending Verdict = "pending"
)

// Definite reports whether v is met or not met.
func (v Verdict) Definite() bool { return v == Met || v == NotMet }

var verdicts = antq.CodeList[Verdict]{
	{Code: Met, Label: "Đạt"},
	{Code: NotMet, Label: "Không đạt"},
	{Code: Pending, Label: "Chờ kết quả đơn vị trực thuộc"},
	{Code: Unknown, Label: "Chưa đánh giá"},
}

// Label is the Vietnamese name of the verdict ("Chưa đánh giá" unless met,
// not met or pending).
func (v Verdict) Label() string { return verdicts.LabelOr(v, "Chưa đánh giá") }

// Suggestion is what the software can tell about one criterion.
type Suggestion struct {
	CriterionID string
	Verdict     Verdict
	Reason      string // Vietnamese; why the software suggests it
}

// Subordinates summarises, for a commune, the units it manages that the
// standard applies to.
type Subordinates struct {
	Eligible   int // units of the subordinate kinds the standard covers
	Registered int
	Recognised int // decided "đạt"
	Undecided  int // registered units whose recognition is not decided yet
}

// Inputs are a unit's facts for the year, as the checklist needs them.
type Inputs struct {
	Year         int
	Kind         antq.UnitKind
	Registration *antq.Registration
	Incidents    []*antq.Incident
	Models       []*antq.Model
	Subordinates *Subordinates // communes only
}

// Suggest assesses every criterion of the checklist that the software can
// check; manual criteria are Unknown until a reviewer decides.
func Suggest(rs *rules.RuleSet, cl *rules.Checklist, in Inputs) []Suggestion {
	out := make([]Suggestion, 0, len(cl.Criteria))
	byID := map[string]Suggestion{}
	for i := range cl.Criteria {
		c := &cl.Criteria[i]
		s := suggestOne(rs, c, in, byID)
		byID[c.ID] = s
		out = append(out, s)
	}
	return out
}

func suggestOne(rs *rules.RuleSet, c *rules.Criterion, in Inputs, done map[string]Suggestion) Suggestion {
	s := Suggestion{CriterionID: c.ID, Verdict: Unknown}
	switch c.EffectiveKind() {
	case rules.CriterionRegistrationQ1:
		due := c.Deadline.On(in.Year)
		switch {
		case in.Registration == nil:
			s.Verdict, s.Reason = NotMet, "Đơn vị chưa đăng ký phấn đấu."
		case rules.QuarterTiming(in.Registration.RegisteredOn, due) == rules.TimingLate:
			s.Verdict, s.Reason = NotMet, fmt.Sprintf("Đăng ký ngày %s, sau thời hạn Quý I (%s).", in.Registration.RegisteredOn.VN(), due.VN())
		case rules.QuarterTiming(in.Registration.RegisteredOn, due) == rules.TimingEarly:
			s.Verdict, s.Reason = NotMet, fmt.Sprintf("Đăng ký ngày %s, trước Quý I năm %d: không phải đăng ký trong Quý I (tiêu chí yêu cầu đăng ký trong Quý I hằng năm).", in.Registration.RegisteredOn.VN(), in.Year)
		default:
			s.Verdict, s.Reason = Met, fmt.Sprintf("Đăng ký ngày %s, trong Quý I.", in.Registration.RegisteredOn.VN())
			if c.MinShare != nil {
				s.Reason += " Cần xác nhận tỷ lệ hộ / người tham gia đăng ký theo tiêu chí."
			}
		}
	case rules.CriterionVeto:
		var hits []string
		for _, inc := range in.Incidents {
			if !inc.Verified {
				continue
			}
			for _, v := range c.VetoItems {
				if v.ID == inc.Category {
					hits = append(hits, fmt.Sprintf("%s (%s)", v.Title, inc.OccurredOn.VN()))
				}
			}
		}
		if len(hits) > 0 {
			s.Verdict, s.Reason = NotMet, "Có vụ việc đã xác minh thuộc danh mục loại trừ: "+strings.Join(hits, "; ")+"."
		} else {
			s.Verdict, s.Reason = Met, "Không có vụ việc đã xác minh thuộc danh mục loại trừ."
		}
	case rules.CriterionOutcome:
		var hits []string
		for _, inc := range in.Incidents {
			if inc.Verified && slices.Contains(c.OutcomeCategories, inc.Category) {
				label := inc.Category
				if ic, ok := rs.IncidentCategory(inc.Category); ok {
					label = ic.Label
				}
				hits = append(hits, fmt.Sprintf("%s (%s)", label, inc.OccurredOn.VN()))
			}
		}
		// No incident recorded is not evidence the outcome was met: the
		// reviewer decides on the dossier either way.
		if len(hits) > 0 {
			s.Reason = "Có vụ việc cần cân nhắc: " + strings.Join(hits, "; ") + ". Người thẩm định quyết định."
		} else {
			s.Reason = "Không ghi nhận vụ việc thuộc tiêu chí này; chưa đủ để kết luận đạt — người thẩm định đánh giá theo hồ sơ, minh chứng."
		}
	case rules.CriterionModel:
		n := 0
		for _, m := range in.Models {
			// Effective only after an explicit assessment (REFERENCE §5.6).
			if m.Effective && m.Assessment != nil && slices.Contains(c.ModelStatuses, m.Status) {
				n++
			}
		}
		if n >= max(c.MinModels, 1) {
			s.Verdict, s.Reason = Met, fmt.Sprintf("Có %d mô hình được đánh giá hoạt động hiệu quả.", n)
		} else {
			s.Verdict, s.Reason = NotMet, fmt.Sprintf("Có %d mô hình được đánh giá hoạt động hiệu quả, cần ít nhất %d.", n, max(c.MinModels, 1))
		}
	case rules.CriterionSubordinateRecognition:
		sub := in.Subordinates
		switch {
		case sub == nil:
			s.Reason = "Không có số liệu đơn vị trực thuộc."
		case sub.Undecided > 0:
			s.Verdict, s.Reason = Pending, fmt.Sprintf("Còn %d đơn vị trực thuộc đã đăng ký chưa có quyết định công nhận; xét các đơn vị này trước.", sub.Undecided)
		default:
			regMin, recMin := rules.Ratio{Num: 1, Den: 1}, rules.Ratio{Num: 7, Den: 10}
			if c.RegistrationMin != nil {
				regMin = *c.RegistrationMin
			}
			if c.RecognitionMin != nil {
				recMin = *c.RecognitionMin
			}
			needReg := regMin.MinCount(int64(sub.Eligible))
			needRec := recMin.MinCount(int64(sub.Registered))
			detail := fmt.Sprintf("%d/%d đơn vị đăng ký (cần %d), %d/%d đơn vị đã đăng ký được công nhận (cần ít nhất %d).",
				sub.Registered, sub.Eligible, needReg, sub.Recognised, sub.Registered, needRec)
			if int64(sub.Registered) >= needReg && int64(sub.Recognised) >= needRec {
				s.Verdict, s.Reason = Met, detail
			} else {
				s.Verdict, s.Reason = NotMet, detail
			}
		}
	case rules.CriterionIncludes:
		s.Verdict, s.Reason = Met, "Đáp ứng các tiêu chí "+strings.Join(c.Includes, ", ")+"."
		for _, id := range c.Includes {
			inc, ok := done[id]
			if !ok {
				// A criterion of another checklist (a commune includes
				// residential-area criteria): assess it for this unit.
				if other, found := rs.Criterion(id); found {
					inc = suggestOne(rs, other, in, done)
				}
			}
			switch inc.Verdict {
			case NotMet:
				s.Verdict, s.Reason = NotMet, fmt.Sprintf("Không đạt tiêu chí %s: %s", id, inc.Reason)
				return s
			case Unknown, Pending:
				s.Verdict, s.Reason = Unknown, fmt.Sprintf("Tiêu chí %s cần người thẩm định đánh giá.", id)
			}
		}
	default:
		s.Reason = "Người thẩm định đánh giá theo hồ sơ, minh chứng."
	}
	return s
}

// Result is the conjunctive outcome: đạt only when every criterion is met;
// "" while any is still unknown or pending.
func Result(verdicts []Verdict) antq.RecognitionResult {
	unknown := false
	for _, v := range verdicts {
		switch v {
		case NotMet:
			return antq.RecognitionNotMet
		case Unknown, Pending, "":
			unknown = true
		}
	}
	if unknown {
		return ""
	}
	return antq.RecognitionMet
}

// ItemScore is one rubric item's scores in tenths of a point.
type ItemScore struct {
	ItemID   string
	Self     *antq.Tenths
	Reviewed *antq.Tenths
}

// Score checks every score against its item's maximum (0 ≤ score ≤ max,
// tenths only by construction) and returns the totals: the self-assessed
// total and the reviewed total: the sum of the reviewed scores given, never
// a self score standing in for a missing one (a reviewer takes the self
// score over explicitly, by entering it). Errors name the item.
func Score(rb *rules.Rubric, scores []ItemScore) (self, reviewed antq.Tenths, errs map[string]string) {
	errs = map[string]string{}
	items := leafItems(rb.Items)
	byID := map[string]rules.RubricItem{}
	for _, it := range items {
		byID[it.ID] = it
	}
	for _, sc := range scores {
		it, ok := byID[sc.ItemID]
		if !ok {
			errs[sc.ItemID] = "mục không có trong bảng điểm " + rb.ID
			continue
		}
		maxT := it.MaxPoints
		for _, v := range []*antq.Tenths{sc.Self, sc.Reviewed} {
			if v != nil && (*v < 0 || *v > maxT) {
				errs[sc.ItemID] = fmt.Sprintf("điểm %s ngoài khoảng 0–%s", v.VN(), maxT.VN())
			}
		}
		if sc.Self != nil {
			self += *sc.Self
		}
		if sc.Reviewed != nil {
			reviewed += *sc.Reviewed
		}
	}
	return self, reviewed, errs
}

// leafItems lists the items that carry scores: items without sub-items, and
// the sub-items of the others.
func leafItems(items []rules.RubricItem) []rules.RubricItem {
	var out []rules.RubricItem
	for _, it := range items {
		if len(it.Items) == 0 {
			out = append(out, it)
		} else {
			out = append(out, leafItems(it.Items)...)
		}
	}
	return out
}

// LeafItems lists the rubric items that carry scores, in order.
func LeafItems(rb *rules.Rubric) []rules.RubricItem { return leafItems(rb.Items) }

// Grade is the grade the rule set's bands and gates give a total.
func Grade(rb *rules.Rubric, total antq.Tenths, recognised bool) (antq.Grade, []string) {
	return rb.Grade(total, recognised)
}

// DeadlineStatus says where a unit kind stands against its deadline. The
// API shows it as it is (dossiers, inbox).
type DeadlineStatus struct {
	Due      antq.Date `json:"due"`
	Late     bool      `json:"late"`     // past the deadline and not decided
	DueSoon  bool      `json:"due_soon"` // within WarnDays of it
	DaysLeft int       `json:"days_left"`
	Title    string    `json:"title"`
	Verified bool      `json:"verified"`
}

// WarnDays is how long before a deadline the inbox warns.
const WarnDays = 7

// Deadline finds the deadline of a dossier of kind dk for units of kind in
// the rule set that governs it — TT 124's own timetable for recognition,
// QĐ 510's for grading, never the other's — and tells whether today (for a
// dossier not yet decided) is late or close to it.
func Deadline(sets []*rules.RuleSet, dk DossierKind, kind antq.UnitKind, year int, today antq.Date, decided bool) *DeadlineStatus {
	rs := rules.GradingSet(sets)
	if dk == DossierRecognition {
		rs = rules.RecognitionSet(sets)
	}
	if rs != nil {
		// The first deadline the rule set has for kind.
		if ds := rs.DeadlinesFor(kind); len(ds) > 0 {
			d := ds[0]
			due := d.On(year)
			ds := &DeadlineStatus{Due: due, Title: d.Title, Verified: d.Verified}
			if d.StrictlyBefore {
				ds.Due = ds.Due.AddDays(-1) // "trước ngày 20/11": the last day is 19/11
			}
			ds.DaysLeft = int(ds.Due.Time().Sub(today.Time()).Hours() / 24)
			if !decided {
				ds.Late = today.After(ds.Due)
				ds.DueSoon = !ds.Late && ds.DaysLeft <= WarnDays
			}
			return ds
		}
	}
	return nil
}
