package antq

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Commendation from nomination to decision (issue 15 item 5). A person or
// a unit is nominated for a form of the award catalogue (rules.Awards) in a
// plan year by a nominating unit, with its dossier: the tờ trình, the report
// of achievements and the minutes of the emulation council with its votes.
// Submitting checks eligibility (the store, with rules.AwardCatalogue.Check);
// the awarding authority's decision (number, date) locks the nomination; a
// decided award may later be cancelled with the reason and what is
// recovered (Luật Thi đua, khen thưởng 2022).

// NominationState is where a nomination stands.
type NominationState string

const (
	NominationDraft     NominationState = "draft"
	NominationSubmitted NominationState = "submitted"
	NominationDecided   NominationState = "decided"
	NominationRefused   NominationState = "refused"
	NominationCancelled NominationState = "cancelled"
)

// NominationStates lists the states in display order.
var NominationStates = nominationStates.Codes()

var nominationStates = CodeList[NominationState]{
	{NominationDraft, "Đang lập hồ sơ"},
	{NominationSubmitted, "Đã trình, chờ quyết định"},
	{NominationDecided, "Đã có quyết định khen thưởng"},
	{NominationRefused, "Không được khen thưởng"},
	{NominationCancelled, "Đã hủy quyết định khen thưởng"},
}

// Label is the Vietnamese name ("" when unknown).
func (s NominationState) Label() string { return nominationStates.LabelOr(s, "") }

// Valid reports whether s is a known state.
func (s NominationState) Valid() bool { return nominationStates.Valid(s) }

// NominationAction is a step on a nomination.
type NominationAction string

const (
	NominationSubmit NominationAction = "submit" // to the awarding authority, eligibility checked
	NominationReturn NominationAction = "return" // back to the nominating unit, with a reason
	NominationDecide NominationAction = "decide" // the authority's decision: number, date
	NominationRefuse NominationAction = "refuse" // the authority does not award it, with a reason
	NominationCancel NominationAction = "cancel" // a decided award cancelled: reason, recovery
)

// Recipient kinds of a nomination (the catalogue's recipients).
const (
	RecipientIndividual = "individual"
	RecipientCollective = "collective"
)

// Nomination is a proposal of one person or unit for one award form.
type Nomination struct {
	ID       int64  `json:"id"`
	PlanID   string `json:"plan_id"`
	Year     int    `json:"year"`
	FormCode string `json:"form_code"`
	FormName string `json:"form_name"`
	// Authority is who awards the form (the catalogue's).
	Authority string `json:"authority"`
	Recipient string `json:"recipient"` // individual, collective
	// UnitCode is the unit nominated, or the person's unit.
	UnitCode   string `json:"unit_code"`
	UnitName   string `json:"unit_name"`
	PersonID   int64  `json:"person_id,omitempty"`
	PersonName string `json:"person_name,omitempty"`
	// NominatedBy is the unit that proposes (its level decides who signs
	// the tờ trình).
	NominatedBy     string `json:"nominated_by"`
	NominatedByName string `json:"nominated_by_name"`
	Reasons         string `json:"reasons"`      // why, in a sentence or two
	Achievements    string `json:"achievements"` // báo cáo thành tích
	ProposalNumber  string `json:"proposal_number"`
	ProposalDate    Date   `json:"proposal_date"`
	// Council is the minutes of the emulation and award council's vote.
	CouncilOn    Date `json:"council_on"`
	VotesFor     int  `json:"votes_for"`
	VotesAgainst int  `json:"votes_against"`
	VotesTotal   int  `json:"votes_total"`
	// DisclosedFrom..DisclosedTo is the period the nominee is shown on the
	// public page for comments, where the form requires it (zero: none).
	DisclosedFrom Date `json:"disclosed_from"`
	DisclosedTo   Date `json:"disclosed_to"`

	State             NominationState `json:"state"`
	DecisionNumber    string          `json:"decision_number,omitempty"`
	DecisionDate      Date            `json:"decision_date"`
	DecisionAuthority string          `json:"decision_authority,omitempty"`
	// Reason is the last return's or refusal's reason, or the cancellation's.
	Reason      string    `json:"reason,omitempty"`
	Recovery    string    `json:"recovery,omitempty"` // what was recovered on cancellation
	CancelledOn Date      `json:"cancelled_on"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedBy   string    `json:"updated_by"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Candidate names the nominee: the person's full name, else the unit's.
func (n *Nomination) Candidate() string {
	if n.PersonName != "" {
		return n.PersonName
	}
	return n.UnitName
}

// Locked reports whether the dossier can no longer change.
func (n *Nomination) Locked() bool { return n.State != NominationDraft }

// NominationInput is a nomination as typed in (a new one, or a draft's new
// content; the candidate and the form are fixed once created).
type NominationInput struct {
	PlanID         string `json:"plan_id"`
	FormCode       string `json:"form_code"`
	UnitCode       string `json:"unit_code"`           // the unit nominated, or the person's unit
	PersonID       int64  `json:"person_id,omitempty"` // an individual: the person
	NominatedBy    string `json:"nominated_by"`        // the proposing unit
	Reasons        string `json:"reasons"`
	Achievements   string `json:"achievements"`
	ProposalNumber string `json:"proposal_number"`
	ProposalDate   Date   `json:"proposal_date"`
	CouncilOn      Date   `json:"council_on"`
	VotesFor       int    `json:"votes_for"`
	VotesAgainst   int    `json:"votes_against"`
	VotesTotal     int    `json:"votes_total"`
	DisclosedFrom  Date   `json:"disclosed_from"`
	DisclosedTo    Date   `json:"disclosed_to"`
}

// Check validates the input on day today and returns the nomination as a
// draft (the store fills names, plan year and stamps).
func (in NominationInput) Check(today Date) (*Nomination, error) {
	f := FieldErrors{}
	if tidy(in.PlanID) == "" {
		f.Add("plan_id", "cần kế hoạch (năm xét khen)")
	}
	if tidy(in.FormCode) == "" {
		f.Add("form_code", "chọn hình thức khen thưởng")
	}
	if tidy(in.UnitCode) == "" && in.PersonID == 0 {
		f.Add("unit_code", "cần tập thể hoặc cá nhân được đề nghị")
	}
	if in.PersonID < 0 {
		f.Add("person_id", "không có người này")
	}
	if tidy(in.NominatedBy) == "" {
		f.Add("nominated_by", "cần đơn vị đề nghị")
	}
	switch n := utf8.RuneCountInString(tidy(in.Reasons)); {
	case n == 0:
		f.Add("reasons", "cần lý do đề nghị (thành tích chính)")
	case n > 2000:
		f.Add("reasons", "lý do đề nghị quá 2.000 ký tự")
	}
	if utf8.RuneCountInString(in.Achievements) > 20000 {
		f.Add("achievements", "báo cáo thành tích quá 20.000 ký tự")
	}
	if utf8.RuneCountInString(tidy(in.ProposalNumber)) > 60 {
		f.Add("proposal_number", "số tờ trình quá 60 ký tự")
	}
	for field, d := range map[string]Date{"proposal_date": in.ProposalDate, "council_on": in.CouncilOn} {
		if d.After(today) {
			f.Add(field, "ngày ở tương lai")
		}
	}
	switch {
	case in.VotesFor < 0 || in.VotesAgainst < 0 || in.VotesTotal < 0:
		f.Add("votes_total", "số phiếu không âm")
	case in.VotesFor+in.VotesAgainst > in.VotesTotal:
		f.Add("votes_total", fmt.Sprintf("%d phiếu đồng ý và %d không đồng ý vượt tổng số %d thành viên biểu quyết", in.VotesFor, in.VotesAgainst, in.VotesTotal))
	case in.VotesTotal > 0 && in.CouncilOn.IsZero():
		f.Add("council_on", "cần ngày họp hội đồng")
	}
	switch {
	case in.DisclosedFrom.IsZero() != in.DisclosedTo.IsZero():
		f.Add("disclosed_to", "cần cả ngày bắt đầu và ngày kết thúc công khai")
	case !in.DisclosedFrom.IsZero() && in.DisclosedTo.Before(in.DisclosedFrom):
		f.Add("disclosed_to", "ngày kết thúc công khai trước ngày bắt đầu")
	}
	if err := f.Err("Hồ sơ đề nghị khen thưởng không hợp lệ"); err != nil {
		return nil, err
	}
	recipient := RecipientCollective
	if in.PersonID != 0 {
		recipient = RecipientIndividual
	}
	return &Nomination{PlanID: tidy(in.PlanID), FormCode: tidy(in.FormCode), Recipient: recipient, UnitCode: tidy(in.UnitCode), PersonID: in.PersonID,
		NominatedBy: tidy(in.NominatedBy), Reasons: tidy(in.Reasons), Achievements: tidy(in.Achievements), ProposalNumber: tidy(in.ProposalNumber),
		ProposalDate: in.ProposalDate, CouncilOn: in.CouncilOn, VotesFor: in.VotesFor, VotesAgainst: in.VotesAgainst, VotesTotal: in.VotesTotal,
		DisclosedFrom: in.DisclosedFrom, DisclosedTo: in.DisclosedTo, State: NominationDraft}, nil
}

// NominationStep is what a step carries.
type NominationStep struct {
	DecisionNumber    string `json:"decision_number"`
	DecisionDate      Date   `json:"decision_date"`
	DecisionAuthority string `json:"decision_authority"` // default: the form's authority
	Reason            string `json:"reason"`             // return, refusal, cancellation
	Recovery          string `json:"recovery"`           // cancellation: artefacts and money recovered
	CancelledOn       Date   `json:"cancelled_on"`       // cancellation: default today
}

// CheckStep says whether user may take action on the nomination on day
// today and returns it as it will be (eligibility, which needs the
// catalogue and the candidate's history, is the store's). Nominating and
// submitting need award:nominate; returning, deciding, refusing and
// cancelling need award:decide. A decision is final: the dossier no longer
// changes, and only a cancellation (with its reason) undoes the award.
func (n *Nomination) CheckStep(user *User, action NominationAction, in NominationStep, today Date) (*Nomination, error) {
	if err := stepAllowed(nominationSteps, action, user, n.State, "Hồ sơ đề nghị khen thưởng"); err != nil {
		return nil, err
	}
	next := *n
	reason := tidy(in.Reason)
	switch action {
	case NominationSubmit:
		f := FieldErrors{}
		if n.ProposalNumber == "" {
			f.Add("proposal_number", "cần số tờ trình trước khi trình")
		}
		if n.ProposalDate.IsZero() {
			f.Add("proposal_date", "cần ngày tờ trình")
		}
		if n.Achievements == "" {
			f.Add("achievements", "cần báo cáo thành tích")
		}
		if n.VotesTotal == 0 {
			f.Add("votes_total", "cần biên bản họp hội đồng thi đua, khen thưởng với kết quả biểu quyết")
		} else if 2*n.VotesFor <= n.VotesTotal {
			f.Add("votes_for", fmt.Sprintf("hội đồng biểu quyết %d/%d đồng ý, chưa quá một nửa", n.VotesFor, n.VotesTotal))
		}
		if err := f.Err("Hồ sơ chưa đủ để trình"); err != nil {
			return nil, err
		}
		next.State, next.Reason = NominationSubmitted, ""
	case NominationReturn:
		if reason == "" {
			return nil, Invalid("Cần lý do trả lại", map[string]string{"reason": "cần lý do trả lại"})
		}
		next.State, next.Reason = NominationDraft, reason
	case NominationDecide:
		f := FieldErrors{}
		number := tidy(in.DecisionNumber)
		switch {
		case number == "":
			f.Add("decision_number", "cần số quyết định khen thưởng")
		case utf8.RuneCountInString(number) > 60:
			f.Add("decision_number", "số quyết định quá 60 ký tự")
		}
		switch {
		case in.DecisionDate.IsZero():
			f.Add("decision_date", "cần ngày quyết định")
		case in.DecisionDate.After(today):
			f.Add("decision_date", "ngày quyết định ở tương lai")
		case in.DecisionDate.Before(n.ProposalDate):
			f.Add("decision_date", "ngày quyết định trước ngày tờ trình "+n.ProposalDate.VN())
		case !n.DisclosedTo.IsZero() && !in.DecisionDate.After(n.DisclosedTo):
			// The nominees are disclosed for comments before the decision.
			f.Add("decision_date", "ngày quyết định phải sau khi hết thời gian công khai (đến "+n.DisclosedTo.VN()+")")
		}
		if err := f.Err("Quyết định khen thưởng không hợp lệ"); err != nil {
			return nil, err
		}
		authority := tidy(in.DecisionAuthority)
		if authority == "" {
			authority = n.Authority
		}
		next.State, next.DecisionNumber, next.DecisionDate, next.DecisionAuthority, next.Reason = NominationDecided, number, in.DecisionDate, authority, ""
	case NominationRefuse:
		if reason == "" {
			return nil, Invalid("Cần lý do không khen thưởng", map[string]string{"reason": "cần lý do không khen thưởng"})
		}
		next.State, next.Reason = NominationRefused, reason
	case NominationCancel:
		f := FieldErrors{}
		if reason == "" {
			f.Add("reason", "cần lý do hủy (khai man thành tích, giả mạo hồ sơ, thẩm định sai, không còn đủ tiêu chuẩn …)")
		}
		on := in.CancelledOn
		if on.IsZero() {
			on = today
		}
		if on.After(today) {
			f.Add("cancelled_on", "ngày hủy ở tương lai")
		} else if on.Before(n.DecisionDate) {
			f.Add("cancelled_on", "ngày hủy trước ngày quyết định khen thưởng")
		}
		if utf8.RuneCountInString(in.Recovery) > 2000 {
			f.Add("recovery", "quá 2.000 ký tự")
		}
		if err := f.Err("Không hủy được quyết định khen thưởng"); err != nil {
			return nil, err
		}
		next.State, next.Reason, next.Recovery, next.CancelledOn = NominationCancelled, reason, tidy(in.Recovery), on
	}
	return &next, nil
}

// nominationSteps are the steps of a nomination, each with the permission
// it needs and the state it starts from.
var nominationSteps = map[NominationAction]workflowStep[NominationState]{
	NominationSubmit: {PermAwardNominate, []NominationState{NominationDraft}},
	NominationReturn: {PermAwardDecide, []NominationState{NominationSubmitted}},
	NominationDecide: {PermAwardDecide, []NominationState{NominationSubmitted}},
	NominationRefuse: {PermAwardDecide, []NominationState{NominationSubmitted}},
	NominationCancel: {PermAwardDecide, []NominationState{NominationDecided}},
}

// AwardSuggestion is a candidate the official figures put forward for a
// plan year, with why; the nominating unit decides whether to nominate.
type AwardSuggestion struct {
	Recipient  string `json:"recipient"` // individual, collective
	UnitCode   string `json:"unit_code"`
	UnitName   string `json:"unit_name"`
	PersonID   int64  `json:"person_id,omitempty"`
	PersonName string `json:"person_name,omitempty"`
	// FormCode is the form the source points to ("" for the council to
	// choose).
	FormCode string `json:"form_code,omitempty"`
	FormName string `json:"form_name,omitempty"`
	Source   string `json:"source"` // grade, cluster, exemplar, service
	Why      string `json:"why"`
	// NominationID is a nomination of the candidate already under way or
	// decided for the year (0: none).
	NominationID int64 `json:"nomination_id,omitempty"`
}

// Candidate names the suggested person or unit.
func (s AwardSuggestion) Candidate() string {
	if s.PersonName != "" {
		return s.PersonName
	}
	return s.UnitName
}

// PublicNomination is what the public page shows of a nominee during the
// disclosure period, for comments before the decision: the name and unit,
// the form, the reasons and the period — nothing else of the person.
type PublicNomination struct {
	ID          int64  `json:"id"`
	Year        int    `json:"year"`
	FormName    string `json:"form_name"`
	Candidate   string `json:"candidate"`
	UnitName    string `json:"unit_name"`
	NominatedBy string `json:"nominated_by"`
	Reasons     string `json:"reasons"`
	From        Date   `json:"from"`
	To          Date   `json:"to"`
}

// Public is the nominee as disclosed.
func (n *Nomination) Public() *PublicNomination {
	return &PublicNomination{ID: n.ID, Year: n.Year, FormName: n.FormName, Candidate: n.Candidate(), UnitName: n.UnitName,
		NominatedBy: n.NominatedByName, Reasons: n.Reasons, From: n.DisclosedFrom, To: n.DisclosedTo}
}
