package rules

import (
	"unicode/utf8"

	"antq"
)

// Who approves a unit's facts is plan data: each ApproverRule names, for
// some unit kinds, the approving level. A kind no rule names takes the
// default, the managing level above: the commune approves its residential
// areas, the level above a commune approves the commune (and a district
// its province), and the level above the unit that manages an organisation
// approves it (the district for an agency a commune manages).

// Approver is a way to find the approving unit from the fact's unit.
type Approver string

const (
	// ApproverParent: the unit directly above (a residential area's commune).
	ApproverParent Approver = "parent"
	// ApproverAboveManager: the level above the unit directly above (for an
	// organisation, the level above the unit that manages it).
	ApproverAboveManager Approver = "above_manager"
)

// Levels is how many levels above the fact's unit the approver stands.
func (a Approver) Levels() int {
	if a == ApproverAboveManager {
		return 2
	}
	return 1
}

// ApproverRule names the approver of the facts of UnitKinds.
type ApproverRule struct {
	UnitKinds []antq.UnitKind `json:"unit_kinds" rules:"required"`
	Approver  Approver        `json:"approver" rules:"required"`
	Note      string          `json:"note,omitempty"`
}

// ApproverOf returns who approves the facts of a unit of kind under the plan.
func (p *Plan) ApproverOf(kind antq.UnitKind) Approver {
	for _, r := range p.Approval {
		for _, k := range r.UnitKinds {
			if k == kind {
				return r.Approver
			}
		}
	}
	if kind.Organisation() {
		return ApproverAboveManager
	}
	return ApproverParent
}

func checkApproval(c *checker, rs []ApproverRule) {
	seen := map[antq.UnitKind]string{}
	for i, r := range rs {
		p := joinIndex("approval", i)
		if r.Approver != ApproverParent && r.Approver != ApproverAboveManager {
			c.fail(p+".approver", "approver must be %q or %q", ApproverParent, ApproverAboveManager)
		}
		c.kindsOnce(seen, p+".unit_kinds", r.UnitKinds, "approver rule")
	}
}

// ApprovalStep is one step of a fact's approval as the store found it: the
// fact, the caller and where the caller stands.
type ApprovalStep struct {
	Action antq.ApprovalAction
	Kind   antq.FactKind
	State  antq.FactState // the fact's state now
	// SubmittedBy is who submitted the fact ("" if never).
	SubmittedBy string
	Reason      string
	// HasRecord: the fact cites a document (number and date) or has an
	// evidence file attached.
	HasRecord bool
	// Actor is the caller's user name; OwnUnit reports whether the caller
	// belongs to the fact's unit; AtApprover whether the caller's unit is
	// the approving unit or above it (for approve, return and reopen);
	// CanApprove whether the caller's role may approve.
	Actor      string
	OwnUnit    bool
	AtApprover bool
	CanApprove bool
}

// Next checks the step and returns the fact's state after it. Refusals
// are in Vietnamese and say why.
func (s ApprovalStep) Next() (antq.FactState, error) {
	if !s.Kind.Approvable() {
		return "", antq.Errorf(antq.EINVALID, "Loại số liệu %q không qua phê duyệt", s.Kind)
	}
	if utf8.RuneCountInString(s.Reason) > 1000 {
		return "", fieldErr("reason", "lý do quá dài (tối đa 1000 ký tự)")
	}
	switch s.Action {
	case antq.ApprovalSubmit:
		if !s.State.Editable() {
			return "", conflict("Chỉ gửi duyệt được số liệu đang ở trạng thái nháp hoặc bị trả lại (hiện: %s)", s.State.Label())
		}
		if (s.Kind == antq.FactRegistration || s.Kind == antq.FactPropaganda) && !s.HasRecord {
			return "", fieldErr("document", "cần số, ngày văn bản hoặc tệp minh chứng trước khi gửi duyệt (số liệu phải thể hiện bằng văn bản)")
		}
		return antq.FactSubmitted, nil
	case antq.ApprovalApprove, antq.ApprovalReturn:
		if s.State != antq.FactSubmitted {
			return "", conflict("Chỉ duyệt hoặc trả lại được số liệu đang chờ duyệt (hiện: %s)", s.State.Label())
		}
		if err := s.mayReview(); err != nil {
			return "", err
		}
		if s.Action == antq.ApprovalReturn {
			if s.Reason == "" {
				return "", fieldErr("reason", "cần ghi lý do trả lại để đơn vị biết cần sửa gì")
			}
			return antq.FactReturned, nil
		}
		return antq.FactApproved, nil
	case antq.ApprovalReopen:
		if s.State != antq.FactApproved {
			return "", conflict("Chỉ mở lại được số liệu đã duyệt (hiện: %s)", s.State.Label())
		}
		if err := s.mayReview(); err != nil {
			return "", err
		}
		if s.Reason == "" {
			return "", fieldErr("reason", "cần ghi lý do mở lại số liệu đã duyệt")
		}
		return antq.FactDraft, nil
	}
	return "", fieldErr("action", "bước không hợp lệ")
}

// mayReview: approving, returning and reopening belong to the approving
// unit or a level above, never to the fact's own unit or its submitter.
func (s ApprovalStep) mayReview() error {
	switch {
	case !s.CanApprove:
		return antq.Errorf(antq.EFORBIDDEN, "Vai trò của bạn không có quyền duyệt số liệu")
	case s.OwnUnit:
		return antq.Errorf(antq.EFORBIDDEN, "Đơn vị không tự duyệt số liệu của mình")
	case s.SubmittedBy != "" && s.SubmittedBy == s.Actor:
		return antq.Errorf(antq.EFORBIDDEN, "Người gửi duyệt không được tự duyệt số liệu mình đã gửi")
	case !s.AtApprover:
		return antq.Errorf(antq.EFORBIDDEN, "Chỉ cấp có thẩm quyền duyệt (cấp quản lý trên trực tiếp theo kế hoạch) hoặc cấp trên mới được duyệt số liệu này")
	}
	return nil
}

func conflict(format string, args ...any) error { return antq.Errorf(antq.ECONFLICT, format, args...) }

func fieldErr(field, reason string) error {
	f := antq.FieldErrors{}
	f.Add(field, reason)
	return f.Err("Không thực hiện được bước phê duyệt")
}
