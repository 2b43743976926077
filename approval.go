package antq

import "time"

// FactState is where a fact stands in its approval: draft → submitted →
// approved (locked) or returned with a reason.
type FactState string

const (
	FactDraft     FactState = "draft"     // nháp
	FactSubmitted FactState = "submitted" // chờ duyệt
	FactApproved  FactState = "approved"  // đã duyệt
	FactReturned  FactState = "returned"  // trả lại
)

var factStates = CodeList[FactState]{
	{FactDraft, "Nháp"},
	{FactSubmitted, "Chờ duyệt"},
	{FactApproved, "Đã duyệt"},
	{FactReturned, "Trả lại"},
}

// Valid reports whether s is a known state.
func (s FactState) Valid() bool { return factStates.Valid(s) }

// Label is the Vietnamese name of the state.
func (s FactState) Label() string { return factStates.Label(s) }

// Editable reports whether a user may change a fact in state s: a draft or a
// returned fact; a submitted fact waits for its review and an approved one
// is locked until reopened.
func (s FactState) Editable() bool { return s == FactDraft || s == FactReturned }

// ApprovalAction is a step of a fact's approval.
type ApprovalAction string

const (
	ApprovalSubmit  ApprovalAction = "submit"  // gửi duyệt
	ApprovalApprove ApprovalAction = "approve" // duyệt
	ApprovalReturn  ApprovalAction = "return"  // trả lại
	ApprovalReopen  ApprovalAction = "reopen"  // mở lại
)

var approvalActions = CodeList[ApprovalAction]{
	{ApprovalSubmit, "Gửi duyệt"},
	{ApprovalApprove, "Duyệt"},
	{ApprovalReturn, "Trả lại"},
	{ApprovalReopen, "Mở lại"},
}

// ApprovalActions lists every step.
var ApprovalActions = approvalActions.Codes()

// Valid reports whether a is a known step.
func (a ApprovalAction) Valid() bool { return approvalActions.Valid(a) }

// Label is the Vietnamese name of the step.
func (a ApprovalAction) Label() string { return approvalActions.Label(a) }

// Approvable reports whether facts of kind k go through approval
// (registration, propaganda, models, incidents; recognitions and grades
// are decisions, changed only by a new decision).
func (k FactKind) Approvable() bool {
	switch k {
	case FactRegistration, FactPropaganda, FactModel, FactIncident:
		return true
	}
	return false
}

// Approval is a fact's approval record.
type Approval struct {
	State       FactState  `json:"state"`
	SubmittedBy string     `json:"submitted_by,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	ReviewedBy  string     `json:"reviewed_by,omitempty"` // who approved or returned it
	ReviewedAt  *time.Time `json:"reviewed_at,omitempty"`
	// ReturnReason is why the fact was returned (shown to the submitter).
	ReturnReason string `json:"return_reason,omitempty"`
	// ReopenReason is why an approved fact was reopened.
	ReopenReason string `json:"reopen_reason,omitempty"`
	// ChangedAfterApproval: the fact was reopened after an approval.
	ChangedAfterApproval bool `json:"changed_after_approval"`
}

// ApprovalOf returns the approval record of a fact, nil for a fact kind
// without one.
func ApprovalOf(fact any) *Approval {
	switch f := fact.(type) {
	case *Registration:
		return &f.Approval
	case *Propaganda:
		return &f.Approval
	case *Model:
		return &f.Approval
	case *Incident:
		return &f.Approval
	}
	return nil
}
