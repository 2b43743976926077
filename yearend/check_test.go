package yearend_test

import (
	"strings"
	"testing"

	"antq"
	"antq/rules"
	"antq/yearend"
)

// dossier is a residential area's recognition dossier in state, decided by
// UBND of commune 3 (chain 3, 2, 1), as the commune reviewer "tanphu" sees
// it; kdc.1 is suggested met, kdc.2 waits for a reviewer.
func dossier(state yearend.State) *yearend.Dossier {
	c1 := &rules.Criterion{ID: "kdc.1"}
	c2 := &rules.Criterion{ID: "kdc.2"}
	return &yearend.Dossier{
		Unit: &antq.Unit{ID: 4, Kind: antq.KindResidentialArea, Name: "Khu phố 1"}, Kind: yearend.DossierRecognition, State: state,
		Window: rules.Period{From: antq.MustDate("2023-01-01"), To: antq.MustDate("2023-10-31")},
		Criteria: []yearend.CriterionView{
			{Criterion: c1, Suggestion: yearend.Suggestion{CriterionID: "kdc.1", Verdict: yearend.Met, Reason: "Đăng ký trong Quý I."}, Verdict: yearend.Met},
			{Criterion: c2, Suggestion: yearend.Suggestion{CriterionID: "kdc.2", Verdict: yearend.Unknown}, Verdict: yearend.Met},
		},
		Result:    antq.RecognitionMet,
		Documents: []yearend.DocumentView{{Doc: rules.DossierDocument{Code: "to_trinh", Required: true}, Number: "01/TTr"}},
		Authority: "ubnd_xa", AuthorityLabel: "UBND phường Tân Phú",
		Duty: yearend.Step{Actor: yearend.Actor{Username: "tanphu", UnitID: 3, MayWrite: true, MayDecide: true}, UnitID: 4, UnitName: "Khu phố 1",
			History: yearend.History{SubmittedBy: "kp1"}, Authority: yearend.DecidingUnit{Label: "UBND phường Tân Phú", Chain: []int64{3, 2, 1}}},
	}
}

var today = antq.MustDate("2023-12-01")

// wantErr checks err's code and, for "", that it is nil; field names a
// field error err must carry, and msg a fragment of its message.
func wantErr(t *testing.T, err error, code, field, msg string) {
	t.Helper()
	if antq.ErrorCode(err) != code {
		t.Fatalf("error %v: code %q, want %q", err, antq.ErrorCode(err), code)
	}
	if field != "" {
		if _, ok := antq.ErrorFields(err)[field]; !ok {
			t.Fatalf("error %v: fields %v, want %s", err, antq.ErrorFields(err), field)
		}
	}
	if !strings.Contains(antq.ErrorMessage(err), msg) {
		t.Fatalf("error %v: message %q, want %q", err, antq.ErrorMessage(err), msg)
	}
}

func TestCheckTransition(t *testing.T) {
	decision := yearend.TransitionInput{DecisionNumber: " 120/QĐ-UBND ", DecisionDate: antq.MustDate("2023-11-15")}
	for _, tt := range []struct {
		name   string
		state  yearend.State
		action yearend.Action
		in     yearend.TransitionInput
		change func(d *yearend.Dossier)
		code   string // "" allowed
		field  string
		msg    string
		next   yearend.State
	}{
		{name: "submit", state: yearend.Draft, action: yearend.Submit, next: yearend.Submitted},
		{name: "review", state: yearend.Submitted, action: yearend.Review, next: yearend.Reviewed},
		{name: "decide", state: yearend.Reviewed, action: yearend.Decide, in: decision, next: yearend.Decided},
		{name: "return with a reason", state: yearend.Submitted, action: yearend.Return, in: yearend.TransitionInput{Reason: "Thiếu chữ ký"}, next: yearend.Returned},
		{name: "reopen with a reason", state: yearend.Decided, action: yearend.Reopen, in: yearend.TransitionInput{Reason: "Vụ việc mới"}, next: yearend.Draft},

		{name: "the role does not decide", state: yearend.Reviewed, action: yearend.Decide, in: decision,
			change: func(d *yearend.Dossier) { d.Duty.Actor.MayDecide = false }, code: antq.EFORBIDDEN, msg: "Chỉ cấp thẩm định"},
		{name: "the role does not submit", state: yearend.Draft, action: yearend.Submit,
			change: func(d *yearend.Dossier) { d.Duty.Actor.MayWrite = false }, code: antq.EFORBIDDEN, msg: "không có quyền gửi"},
		{name: "an unknown action", state: yearend.Draft, action: "approve", code: antq.EINVALID, field: "action"},
		{name: "a step the state does not allow", state: yearend.Draft, action: yearend.Decide, in: decision, code: antq.ECONFLICT, msg: "Không thể quyết định"},
		{name: "separation of duties", state: yearend.Submitted, action: yearend.Review,
			change: func(d *yearend.Dossier) { d.Duty.History.SubmittedBy = "tanphu" }, code: antq.EFORBIDDEN, msg: "Người đã gửi hồ sơ"},

		{name: "submit without the documents", state: yearend.Draft, action: yearend.Submit,
			change: func(d *yearend.Dossier) { d.Missing = []string{"Tờ trình"} }, code: antq.EINVALID, field: "documents", msg: "Chưa thể gửi hồ sơ"},
		{name: "submit while subordinates are undecided", state: yearend.Draft, action: yearend.Submit,
			change: func(d *yearend.Dossier) { d.Blocked = "Còn 2 đơn vị" }, code: antq.EINVALID, field: "criteria"},
		{name: "return while subordinates are undecided", state: yearend.Submitted, action: yearend.Return, in: yearend.TransitionInput{Reason: "Bổ sung"},
			change: func(d *yearend.Dossier) { d.Blocked = "Còn 2 đơn vị" }, next: yearend.Returned},
		{name: "return without a reason", state: yearend.Submitted, action: yearend.Return, in: yearend.TransitionInput{Reason: "  "},
			code: antq.EINVALID, field: "reason", msg: "Chưa thể trả lại hồ sơ"},
		{name: "review a criterion not assessed", state: yearend.Submitted, action: yearend.Review,
			change: func(d *yearend.Dossier) { d.Criteria[1].Verdict = yearend.Unknown }, code: antq.EINVALID, field: "criteria.kdc.2"},
		{name: "decide without number and date", state: yearend.Reviewed, action: yearend.Decide, code: antq.EINVALID, field: "decision_number"},
		{name: "decide without a date", state: yearend.Reviewed, action: yearend.Decide, in: yearend.TransitionInput{DecisionNumber: "1/QĐ"},
			code: antq.EINVALID, field: "decision_date"},
		{name: "decide in the future", state: yearend.Reviewed, action: yearend.Decide, in: yearend.TransitionInput{DecisionNumber: "1/QĐ", DecisionDate: antq.MustDate("2023-12-02")},
			code: antq.EINVALID, field: "decision_date"},
		{name: "decide before the window", state: yearend.Reviewed, action: yearend.Decide, in: yearend.TransitionInput{DecisionNumber: "1/QĐ", DecisionDate: antq.MustDate("2022-12-31")},
			code: antq.EINVALID, field: "decision_date"},
		{name: "decide again with the reopened decision", state: yearend.Reviewed, action: yearend.Decide, in: decision,
			change: func(d *yearend.Dossier) { d.Amended, d.PreviousDecision = true, "120/QĐ-UBND" }, code: antq.EINVALID, field: "decision_number"},
		{name: "decide without an authority", state: yearend.Reviewed, action: yearend.Decide, in: decision,
			change: func(d *yearend.Dossier) { d.Authority, d.AuthorityNote = "", "chưa xác định" }, code: antq.EINVALID, field: "authority"},
		{name: "decide an open result", state: yearend.Reviewed, action: yearend.Decide, in: decision,
			change: func(d *yearend.Dossier) { d.Result = "" }, code: antq.EINVALID, field: "criteria", msg: "Chưa thể quyết định"},
		{name: "reopen without a reason", state: yearend.Decided, action: yearend.Reopen, code: antq.EINVALID, field: "reason", msg: "Chưa thể mở lại hồ sơ"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := dossier(tt.state)
			if tt.change != nil {
				tt.change(d)
			}
			next, err := yearend.CheckTransition(d, tt.action, tt.in, today)
			wantErr(t, err, tt.code, tt.field, tt.msg)
			if err == nil && next != tt.next {
				t.Fatalf("next = %s, want %s", next, tt.next)
			}
		})
	}
}

func TestCheckDossierInput(t *testing.T) {
	override := func(reason string) yearend.DossierInput {
		return yearend.DossierInput{Criteria: []yearend.CriterionInput{{ID: "kdc.1", Verdict: yearend.NotMet, OverrideReason: reason}}}
	}
	clerk := func(d *yearend.Dossier) { d.Duty.Actor.MayDecide = false }
	ten, eleven := antq.Tenths(10), antq.Tenths(110)
	grading := func(d *yearend.Dossier) {
		d.Kind, d.Criteria = yearend.DossierGrading, nil
		d.Rubric = &rules.Rubric{ID: "r510", Items: []rules.RubricItem{{ID: "i1", MaxPoints: 100}}}
	}
	for _, tt := range []struct {
		name   string
		state  yearend.State
		in     yearend.DossierInput
		change func(d *yearend.Dossier)
		code   string
		field  string
	}{
		{name: "a manual verdict", in: yearend.DossierInput{Criteria: []yearend.CriterionInput{{ID: "kdc.2", Verdict: yearend.NotMet}}}},
		{name: "an override with a reason by a reviewer", in: override("Biên bản")},
		{name: "a decided dossier", state: yearend.Decided, in: override("x"), code: antq.ECONFLICT},
		{name: "a reviewed dossier", state: yearend.Reviewed, code: antq.ECONFLICT},
		{name: "an override without a reason", in: override(" "), code: antq.EINVALID, field: "criteria[0].override_reason"},
		{name: "an override by data entry", in: override("tự sửa"), change: clerk, code: antq.EINVALID, field: "criteria[0].override_reason"},
		{name: "an unknown criterion", in: yearend.DossierInput{Criteria: []yearend.CriterionInput{{ID: "kdc.9", Verdict: yearend.Met}}},
			code: antq.EINVALID, field: "criteria[0].id"},
		{name: "an unknown verdict", in: yearend.DossierInput{Criteria: []yearend.CriterionInput{{ID: "kdc.2", Verdict: "maybe"}}},
			code: antq.EINVALID, field: "criteria[0].verdict"},
		{name: "a verdict on a pending criterion", in: yearend.DossierInput{Criteria: []yearend.CriterionInput{{ID: "kdc.1", Verdict: yearend.Met}}},
			change: func(d *yearend.Dossier) { d.Criteria[0].Suggestion.Verdict = yearend.Pending }, code: antq.EINVALID, field: "criteria[0].verdict"},
		{name: "a long note", in: yearend.DossierInput{Criteria: []yearend.CriterionInput{{ID: "kdc.2", Verdict: yearend.Met, Note: strings.Repeat("a", 2001)}}},
			code: antq.EINVALID, field: "criteria[0].note"},
		{name: "an unknown document", in: yearend.DossierInput{Documents: []yearend.DocumentInput{{Code: "x"}}}, code: antq.EINVALID, field: "documents[0].code"},
		{name: "a document in the future", in: yearend.DossierInput{Documents: []yearend.DocumentInput{{Code: "to_trinh", Date: antq.MustDate("2023-12-02")}}},
			code: antq.EINVALID, field: "documents[0].date"},
		{name: "another unit's evidence", in: yearend.DossierInput{Documents: []yearend.DocumentInput{{Code: "to_trinh", EvidenceID: 8}}},
			code: antq.EINVALID, field: "documents[0].evidence_id"},
		{name: "the unit's evidence", in: yearend.DossierInput{Documents: []yearend.DocumentInput{{Code: "to_trinh", EvidenceID: 7}}}},
		{name: "scores on a recognition", in: yearend.DossierInput{Scores: []yearend.ScoreInput{{ItemID: "i1", Self: &ten}}}, code: antq.EINVALID, field: "scores"},
		{name: "a grade on a recognition", in: yearend.DossierInput{Grade: antq.GradeGood, OverrideReason: "x"}, code: antq.EINVALID, field: "grade"},
		{name: "criteria on a grading", in: override("x"), change: grading, code: antq.EINVALID, field: "criteria[0]"},
		{name: "a self score", in: yearend.DossierInput{Scores: []yearend.ScoreInput{{ItemID: "i1", Self: &ten}}}, change: grading},
		{name: "a score over the maximum", in: yearend.DossierInput{Scores: []yearend.ScoreInput{{ItemID: "i1", Self: &eleven}}}, change: grading,
			code: antq.EINVALID, field: "scores.i1"},
		{name: "a reviewed score by data entry", in: yearend.DossierInput{Scores: []yearend.ScoreInput{{ItemID: "i1", Reviewed: &ten}}},
			change: func(d *yearend.Dossier) { grading(d); clerk(d) }, code: antq.EINVALID, field: "scores.i1"},
		{name: "a grade override", in: yearend.DossierInput{Grade: antq.GradeGood, OverrideReason: "Vụ việc"}, change: grading},
		{name: "a grade override without a reason", in: yearend.DossierInput{Grade: antq.GradeGood}, change: grading, code: antq.EINVALID, field: "override_reason"},
		{name: "an unknown grade", in: yearend.DossierInput{Grade: "tot", OverrideReason: "x"}, change: grading, code: antq.EINVALID, field: "grade"},
		{name: "a grade override by data entry", in: yearend.DossierInput{Grade: antq.GradeGood, OverrideReason: "x"},
			change: func(d *yearend.Dossier) { grading(d); clerk(d) }, code: antq.EINVALID, field: "grade"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			state := tt.state
			if state == "" {
				state = yearend.Draft
			}
			d := dossier(state)
			if tt.change != nil {
				tt.change(d)
			}
			err := yearend.CheckDossierInput(d, tt.in, map[int64]bool{7: true, 8: false}, today)
			wantErr(t, err, tt.code, tt.field, "")
		})
	}
}
