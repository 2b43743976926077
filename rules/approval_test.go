package rules_test

import (
	"testing"

	"antq"
	"antq/rules"
)

func TestApprovalStep(t *testing.T) {
	reviewer := rules.ApprovalStep{Kind: antq.FactRegistration, State: antq.FactSubmitted, SubmittedBy: "kp1",
		Actor: "capx", AtApprover: true, CanApprove: true}
	cases := []struct {
		name   string
		change func(s *rules.ApprovalStep)
		want   antq.FactState
		code   string
	}{
		{"approve", func(s *rules.ApprovalStep) { s.Action = antq.ApprovalApprove }, antq.FactApproved, ""},
		{"return needs a reason", func(s *rules.ApprovalStep) { s.Action = antq.ApprovalReturn }, "", antq.EINVALID},
		{"return", func(s *rules.ApprovalStep) { s.Action, s.Reason = antq.ApprovalReturn, "thiếu" }, antq.FactReturned, ""},
		{"self-approval", func(s *rules.ApprovalStep) { s.Action, s.Actor = antq.ApprovalApprove, "kp1" }, "", antq.EFORBIDDEN},
		{"own unit", func(s *rules.ApprovalStep) { s.Action, s.OwnUnit = antq.ApprovalApprove, true }, "", antq.EFORBIDDEN},
		{"not the approver", func(s *rules.ApprovalStep) { s.Action, s.AtApprover = antq.ApprovalApprove, false }, "", antq.EFORBIDDEN},
		{"role", func(s *rules.ApprovalStep) { s.Action, s.CanApprove = antq.ApprovalApprove, false }, "", antq.EFORBIDDEN},
		{"approve a draft", func(s *rules.ApprovalStep) { s.Action, s.State = antq.ApprovalApprove, antq.FactDraft }, "", antq.ECONFLICT},
		{"submit without a record", func(s *rules.ApprovalStep) { s.Action, s.State = antq.ApprovalSubmit, antq.FactDraft }, "", antq.EINVALID},
		{"submit propaganda without a record", func(s *rules.ApprovalStep) {
			s.Action, s.State, s.Kind = antq.ApprovalSubmit, antq.FactReturned, antq.FactPropaganda
		}, "", antq.EINVALID},
		{"submit a model", func(s *rules.ApprovalStep) {
			s.Action, s.State, s.Kind = antq.ApprovalSubmit, antq.FactDraft, antq.FactModel
		}, antq.FactSubmitted, ""},
		{"submit with a record", func(s *rules.ApprovalStep) {
			s.Action, s.State, s.HasRecord = antq.ApprovalSubmit, antq.FactReturned, true
		}, antq.FactSubmitted, ""},
		{"submit twice", func(s *rules.ApprovalStep) { s.Action, s.HasRecord = antq.ApprovalSubmit, true }, "", antq.ECONFLICT},
		{"reopen needs a reason", func(s *rules.ApprovalStep) { s.Action, s.State = antq.ApprovalReopen, antq.FactApproved }, "", antq.EINVALID},
		{"reopen", func(s *rules.ApprovalStep) {
			s.Action, s.State, s.Reason = antq.ApprovalReopen, antq.FactApproved, "sai"
		}, antq.FactDraft, ""},
		{"reopen a draft", func(s *rules.ApprovalStep) { s.Action, s.State, s.Reason = antq.ApprovalReopen, antq.FactDraft, "sai" }, "", antq.ECONFLICT},
		{"decisions are not approved", func(s *rules.ApprovalStep) { s.Action, s.Kind = antq.ApprovalApprove, antq.FactGrade }, "", antq.EINVALID},
	}
	for _, c := range cases {
		s := reviewer
		c.change(&s)
		got, err := s.Next()
		if got != c.want || antq.ErrorCode(err) != c.code && (c.code != "" || err != nil) {
			t.Errorf("%s: %q, %v; want %q, code %q", c.name, got, err, c.want, c.code)
		}
		if err != nil && antq.ErrorMessage(err) == "" {
			t.Errorf("%s: a refusal without a reason", c.name)
		}
	}
}

func TestApproverOf(t *testing.T) {
	p := &rules.Plan{}
	for kind, want := range map[antq.UnitKind]int{antq.KindResidentialArea: 1, antq.KindCommune: 1, antq.KindAgency: 2, antq.KindSchool: 2} {
		if got := p.ApproverOf(kind).Levels(); got != want {
			t.Errorf("default approver of %s = %d levels up, want %d", kind, got, want)
		}
	}
	p.Approval = []rules.ApproverRule{{UnitKinds: []antq.UnitKind{antq.KindSchool}, Approver: rules.ApproverParent}}
	if got := p.ApproverOf(antq.KindSchool); got != rules.ApproverParent {
		t.Errorf("plan's approver of schools = %s", got)
	}
}
