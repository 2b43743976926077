package yearend

import (
	"fmt"
	"time"

	"antq"
	"antq/rules"
)

// DossierKind is the year-end decision a dossier leads to.
type DossierKind string

const (
	DossierRecognition DossierKind = "recognition" // "An toàn về ANTT", TT 124
	DossierGrading     DossierKind = "grading"     // xếp loại phong trào, QĐ 510
)

// Valid reports whether k is a known kind.
func (k DossierKind) Valid() bool { return k == DossierRecognition || k == DossierGrading }

// Validate refuses an unknown kind as something that does not exist (the
// kind names a dossier in a path).
func (k DossierKind) Validate() error {
	if !k.Valid() {
		return antq.Errorf(antq.ENOTFOUND, "Không có loại hồ sơ %q", k)
	}
	return nil
}

// Label is the Vietnamese name of the kind.
func (k DossierKind) Label() string {
	if k == DossierGrading {
		return "Xếp loại phong trào"
	}
	return "Công nhận “An toàn về an ninh, trật tự”"
}

// CriterionView is one criterion of a recognition dossier: what the
// software suggests and what the dossier says.
type CriterionView struct {
	Criterion      *rules.Criterion
	Suggestion     Suggestion
	Verdict        Verdict // effective: the saved verdict, else the suggestion
	Note           string
	OverrideReason string
	Overridden     bool // the saved verdict departs from a definite suggestion
}

// DocumentView is one document of the dossier list.
type DocumentView struct {
	Doc        rules.DossierDocument
	Number     string
	Date       antq.Date
	EvidenceID int64
	Missing    bool
}

// ScoreView is one rubric item with its scores.
type ScoreView struct {
	Item     rules.RubricItem
	Self     *antq.Tenths
	Reviewed *antq.Tenths
	Note     string
}

// Stamp records who did a workflow step and when.
type Stamp struct {
	At *time.Time
	By string
}

// Dossier is a unit's year-end dossier with everything computed from the
// rules and the facts, as its caller sees it.
type Dossier struct {
	ID       int64
	Plan     *rules.Plan
	Unit     *antq.Unit
	Kind     DossierKind
	State    State
	RuleSet  *rules.RuleSet
	Window   rules.Period // the evaluation window of the unit's kind
	Criteria []CriterionView
	// Result is the recognition result: decided, else the conjunction of
	// the verdicts ("" while any is open).
	Result antq.RecognitionResult
	// Grading: scores, totals in tenths, the grade the bands give and the
	// grade of the dossier (an override with a reason, or the decision).
	Rubric         *rules.Rubric
	Scores         []ScoreView
	SelfTotal      antq.Tenths
	ReviewedTotal  antq.Tenths
	SelfScored     int // items with a self score
	ReviewedScored int // items with a reviewed score
	// GradeBasis is the total ComputedGrade comes from: GradeFromReviewed
	// when every item has a reviewed score, GradeFromSelf when every item
	// has a self score and none a reviewed one, "" (no grade proposed)
	// otherwise — a dossier with nothing entered proposes nothing.
	GradeBasis     GradeBasis
	ComputedGrade  antq.Grade
	GradeReasons   []string
	Grade          antq.Grade
	OverrideReason string

	Documents []DocumentView
	Missing   []string // titles of required documents not yet given

	ReturnReason                 string
	DecisionNumber               string
	DecisionDate                 antq.Date
	Authority                    string
	AuthorityLabel               string
	AuthorityNote                string // why no authority could be found, if none
	DecidedLate                  bool
	Amended                      bool
	PreviousDecision             string
	SignerTitle, SignerName      string // the decision's signature block
	CertificateNo                int    // the Giấy công nhận's number, for a unit recognised "đạt"
	Deadline                     *DeadlineStatus
	Blocked                      string // why it cannot go forward yet (subordinates undecided)
	Submitted, Reviewed, Decided Stamp
	UpdatedAt                    time.Time
	UpdatedBy                    string
	// Refused says, for each step the dossier's state allows, why
	// separation of duties refuses it to the caller (absent: allowed).
	Refused map[Action]string
	// Duty is what separation of duties looks at: the caller (Duty.Actor),
	// the dossier's history and the deciding unit; its Action is unset.
	Duty Step
}

// SetCriteria fills the criteria of a recognition dossier: each criterion
// of the checklist with the software's suggestion and what the dossier
// saved (saved, by criterion id). A saved verdict replaces the suggestion
// unless it is unknown or the suggestion waits for subordinate units. The
// result is the conjunction of the verdicts, except for a decided dossier,
// whose result is the one decided (decided).
func (d *Dossier) SetCriteria(cl *rules.Checklist, suggestions []Suggestion, saved map[string]CriterionView, decided antq.RecognitionResult) {
	var verdicts []Verdict
	for i, s := range suggestions {
		c := &cl.Criteria[i]
		v := CriterionView{Criterion: c, Suggestion: s, Verdict: s.Verdict}
		if sv, ok := saved[c.ID]; ok {
			v.Note, v.OverrideReason = sv.Note, sv.OverrideReason
			if sv.Verdict != Unknown && s.Verdict != Pending {
				v.Verdict = sv.Verdict
			}
		}
		v.Overridden = s.Verdict.Definite() && v.Verdict != s.Verdict
		if s.Verdict == Pending {
			d.Blocked = s.Reason
		}
		verdicts = append(verdicts, v.Verdict)
		d.Criteria = append(d.Criteria, v)
	}
	d.Result = Result(verdicts)
	if d.State == Decided {
		d.Result = decided
	}
}

// SetScores fills the scores of a grading dossier from what it saved
// (saved, by item id), the totals and the grade the rubric's bands and
// gates give (recognised: the unit is recognised "đạt"). The dossier's
// grade is that computed grade, unless the dossier is decided or its grade
// overridden with a reason: then it is the saved one (saved).
func (d *Dossier) SetScores(rb *rules.Rubric, scores map[string]ScoreView, recognised bool, saved antq.Grade) {
	d.Rubric = rb
	var items []ItemScore
	for _, it := range LeafItems(rb) {
		v := scores[it.ID]
		v.Item = it
		d.Scores = append(d.Scores, v)
		items = append(items, ItemScore{ItemID: it.ID, Self: v.Self, Reviewed: v.Reviewed})
	}
	d.SelfTotal, d.ReviewedTotal, _ = Score(rb, items)
	for _, it := range items {
		if it.Self != nil {
			d.SelfScored++
		}
		if it.Reviewed != nil {
			d.ReviewedScored++
		}
	}
	n := len(items)
	switch {
	case n > 0 && d.ReviewedScored == n:
		d.GradeBasis = GradeFromReviewed
		d.ComputedGrade, d.GradeReasons = Grade(rb, d.ReviewedTotal, recognised)
	case n > 0 && d.SelfScored == n && d.ReviewedScored == 0:
		d.GradeBasis = GradeFromSelf
		d.ComputedGrade, d.GradeReasons = Grade(rb, d.SelfTotal, recognised)
		d.GradeReasons = append(d.GradeReasons, "Đề xuất theo điểm tự chấm: chưa có điểm thẩm định.")
	case d.SelfScored == 0 && d.ReviewedScored == 0:
		d.GradeReasons = []string{"Chưa nhập điểm nào: chưa đề xuất xếp loại."}
	case d.ReviewedScored > 0:
		d.GradeReasons = []string{fmt.Sprintf("Còn %d/%d mục chưa có điểm thẩm định: chưa đề xuất xếp loại.", n-d.ReviewedScored, n)}
	default:
		d.GradeReasons = []string{fmt.Sprintf("Còn %d/%d mục chưa tự chấm điểm: chưa đề xuất xếp loại.", n-d.SelfScored, n)}
	}
	d.Grade = d.ComputedGrade
	if saved != "" && (d.State == Decided || d.OverrideReason != "") {
		d.Grade = saved
	}
}

// GradeBasis says which total a proposed grade comes from.
type GradeBasis string

const (
	GradeFromSelf     GradeBasis = "self"
	GradeFromReviewed GradeBasis = "reviewed"
)

// SetDocuments fills the document list the rule set asks for with what the
// dossier saved (by document code); a required document with neither a
// number nor an evidence file is missing.
func (d *Dossier) SetDocuments(list []rules.DossierDocument, saved map[string]DocumentView) {
	for _, doc := range list {
		v := saved[doc.Code]
		v.Doc = doc
		v.Missing = doc.Required && v.Number == "" && v.EvidenceID == 0
		if v.Missing {
			d.Missing = append(d.Missing, doc.Title)
		}
		d.Documents = append(d.Documents, v)
	}
}

// SetDuty records what separation of duties looks at (s, Action unset) and
// which of the steps the state allows it refuses the caller, with why.
func (d *Dossier) SetDuty(s Step) {
	d.Duty = s
	d.Refused = map[Action]string{}
	for _, action := range []Action{Return, Review, Decide, Reopen} {
		if _, err := Next(d.State, action); err != nil {
			continue
		}
		s.Action = action
		if err := CheckDuties(s); err != nil {
			d.Refused[action] = antq.ErrorMessage(err)
		}
	}
}

// Outcome is what a review records as the dossier's result: the
// recognition result, or the grade.
func (d *Dossier) Outcome() string {
	if d.Kind == DossierGrading {
		return string(d.Grade)
	}
	return string(d.Result)
}

// LateOn reports whether a decision dated on comes after the deadline.
func (d *Dossier) LateOn(on antq.Date) bool { return d.Deadline != nil && on.After(d.Deadline.Due) }

// Summary is what the audit trail keeps of a dossier's state.
func (d *Dossier) Summary() map[string]any {
	m := map[string]any{"state": d.State}
	if d.Kind == DossierRecognition {
		verdicts := map[string]Verdict{}
		for _, c := range d.Criteria {
			verdicts[c.Criterion.ID] = c.Verdict
		}
		m["verdicts"], m["result"] = verdicts, d.Result
	} else {
		m["self_total"], m["reviewed_total"], m["grade"] = d.SelfTotal, d.ReviewedTotal, d.Grade
	}
	if d.DecisionNumber != "" {
		m["decision"] = d.DecisionNumber
	}
	return m
}
