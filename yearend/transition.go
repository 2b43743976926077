package yearend

import (
	"fmt"
	"strings"

	"antq"
	"antq/rules"
)

// TransitionInput carries what a workflow step needs: a reason to return,
// the decision's number and date to decide.
type TransitionInput struct {
	Reason         string    `json:"reason"`
	DecisionNumber string    `json:"decision_number"`
	DecisionDate   antq.Date `json:"decision_date"`
	// The signature block of the decision: the signer's title (chức vụ,
	// "Chủ tịch" when left out) and name (người ký).
	SignerTitle string `json:"signer_title"`
	SignerName  string `json:"signer_name"`
}

// Clean returns in with its texts trimmed, as they are checked and saved.
func (in TransitionInput) Clean() TransitionInput {
	in.Reason, in.DecisionNumber = strings.TrimSpace(in.Reason), strings.TrimSpace(in.DecisionNumber)
	in.SignerTitle, in.SignerName = strings.Join(strings.Fields(in.SignerTitle), " "), strings.Join(strings.Fields(in.SignerName), " ")
	return in
}

// CheckRole decides whether the actor's role may take the step at all:
// submitting needs fact:write, the other steps fact:decide. It needs no
// dossier, so a list of dossiers is refused at once.
func CheckRole(a Actor, action Action) error {
	switch action {
	case Submit:
		if !a.MayWrite {
			return antq.Errorf(antq.EFORBIDDEN, "Bạn không có quyền gửi hồ sơ")
		}
	case Return, Review, Decide, Reopen:
		if !a.MayDecide {
			return antq.Errorf(antq.EFORBIDDEN, "Chỉ cấp thẩm định, quyết định thực hiện được thao tác này")
		}
	default:
		return antq.Invalid("Thao tác không hợp lệ", map[string]string{"action": fmt.Sprintf("%q không phải submit, return, review, decide hoặc reopen", action)})
	}
	return nil
}

// CheckTransition decides whether the caller of d (d.Duty.Actor) may take
// the step action with in, by every rule of the workflow in this order:
// the role (CheckRole, EFORBIDDEN), the state (Next, ECONFLICT),
// separation of duties (CheckDuties, EFORBIDDEN), then what the step needs
// (EINVALID with field errors): submitting, the required documents;
// returning and reopening, a reason; reviewing, every criterion assessed
// or every item scored and a grade; deciding, a new decision's number, its
// date (CheckDecisionDate against today) and a known authority; every step
// but returning and reopening, no criterion waiting for subordinate units.
// It returns the state the step leads to.
func CheckTransition(d *Dossier, action Action, in TransitionInput, today antq.Date) (State, error) {
	if err := CheckRole(d.Duty.Actor, action); err != nil {
		return d.State, err
	}
	next, err := Next(d.State, action)
	if err != nil {
		return d.State, &antq.Error{Code: antq.ECONFLICT, Message: strings.ToUpper(err.Error()[:1]) + err.Error()[1:]}
	}
	step := d.Duty
	step.Action = action
	if err := CheckDuties(step); err != nil {
		return d.State, err
	}
	in = in.Clean()
	f := antq.FieldErrors{}
	switch action {
	case Submit:
		if len(d.Missing) > 0 {
			f.Add("documents", "còn thiếu: "+strings.Join(d.Missing, "; "))
		}
	case Return:
		if in.Reason == "" {
			f.Add("reason", "cần nêu lý do trả lại để đơn vị biết cần bổ sung gì")
		}
	case Review:
		checkAssessed(f, d)
	case Decide:
		if in.DecisionNumber == "" {
			f.Add("decision_number", "cần số, ký hiệu quyết định")
		} else if d.Amended && in.DecisionNumber == d.PreviousDecision {
			f.Add("decision_number", "hồ sơ đã mở lại sau quyết định "+d.PreviousDecision+": cần một quyết định mới")
		}
		rules.CheckDecisionDate(f, "decision_date", in.DecisionDate, d.Window, today)
		if len([]rune(in.SignerTitle)) > 100 {
			f.Add("signer_title", "chức vụ người ký dài quá 100 ký tự")
		}
		if len([]rune(in.SignerName)) > 100 {
			f.Add("signer_name", "họ tên người ký dài quá 100 ký tự")
		}
		if d.Authority == "" {
			f.Add("authority", d.AuthorityNote)
		}
	case Reopen:
		if in.Reason == "" {
			f.Add("reason", "cần nêu lý do mở lại hồ sơ đã quyết định")
		}
	}
	if d.Blocked != "" && action != Return && action != Reopen {
		f.Add("criteria", d.Blocked)
	}
	if err := f.Err("Chưa thể " + actionLabel(action) + " hồ sơ"); err != nil {
		return d.State, err
	}
	if action == Decide && d.Kind == DossierRecognition && d.Result == "" {
		return d.State, antq.Invalid("Chưa thể quyết định", map[string]string{"criteria": "còn tiêu chí chưa đánh giá"})
	}
	return next, nil
}

// checkAssessed adds a field error for each criterion not assessed, or each
// item not scored and a grade the bands cannot give.
func checkAssessed(f antq.FieldErrors, d *Dossier) {
	if d.Kind == DossierRecognition {
		for _, c := range d.Criteria {
			if !c.Verdict.Definite() {
				f.Add("criteria."+c.Criterion.ID, "chưa đánh giá: "+c.Suggestion.Reason)
			}
		}
		return
	}
	// The reviewed total is what is decided: every item needs its reviewed
	// score (the reviewer may take the self score over, but explicitly).
	for _, s := range d.Scores {
		if s.Reviewed == nil {
			f.Add("scores."+s.Item.ID, "chưa có điểm thẩm định")
		}
	}
	if d.Grade == "" {
		f.Add("grade", strings.Join(d.GradeReasons, " "))
	}
}

// CheckDirectDecision decides whether a decided result (recognition or
// grade) may be entered or deleted directly: not while a dossier governs
// it (governing is that dossier's state, "" when there is none,
// ECONFLICT), and only by whoever could decide such a dossier (s, as
// CheckDuties sees a decision; EFORBIDDEN): never the unit under
// assessment, only the deciding authority's unit or a unit above it.
func CheckDirectDecision(governing State, s Step) error {
	if governing != "" {
		return antq.Errorf(antq.ECONFLICT, "Kết quả của đơn vị này được xét qua hồ sơ (%s); hãy thao tác trên hồ sơ", governing.Label())
	}
	s.Action = Decide
	return CheckDuties(s)
}
