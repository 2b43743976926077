package rules

import (
	"testing"

	"antq"
)

// Grades follow the rubric: a grade entered directly is the one the bands
// and gates give its score, or it is an override with a reason.
func TestCheckGradeFollowsRubric(t *testing.T) {
	area := &antq.Unit{Code: "KDC", Name: "Khu dân cư", Kind: antq.KindResidentialArea}
	score := func(v antq.Tenths) *antq.Tenths { return &v }
	tests := []struct {
		name       string
		in         antq.GradeRecord
		recognised bool
		want       []string // fields in error
		rubric     antq.Grade
		overridden bool
	}{
		{"40.0 is Yếu", antq.GradeRecord{Grade: antq.GradeWeak, Score: score(400)}, false, nil, antq.GradeWeak, false},
		{"40.0 entered as Khá without a reason", antq.GradeRecord{Grade: antq.GradeGood, Score: score(400)}, false, []string{"override_reason"}, antq.GradeWeak, false},
		{"40.0 entered as Khá with a reason", antq.GradeRecord{Grade: antq.GradeGood, Score: score(400), OverrideReason: "Hội đồng xét lại theo biên bản 3/BB"}, false, nil, antq.GradeWeak, true},
		{"95.0 not recognised is not Xuất sắc", antq.GradeRecord{Grade: antq.GradeExcellent, Score: score(950)}, false, []string{"override_reason"}, antq.GradeGood, false},
		{"95.0 recognised is Xuất sắc", antq.GradeRecord{Grade: antq.GradeExcellent, Score: score(950)}, true, nil, antq.GradeExcellent, false},
		{"the rubric's own grade drops a reason", antq.GradeRecord{Grade: antq.GradeAverage, Score: score(550), OverrideReason: "x"}, false, nil, antq.GradeAverage, false},
		{"no score needs a reason", antq.GradeRecord{Grade: antq.GradeGood}, false, []string{"score"}, "", false},
		{"decision in the future", antq.GradeRecord{Grade: antq.GradeWeak, Score: score(400),
			Decision: &antq.DocumentRef{Number: "1/QĐ", Date: antq.NewDate(2024, 1, 2)}}, false, []string{"decision.date"}, antq.GradeWeak, false},
		{"decision before the window", antq.GradeRecord{Grade: antq.GradeWeak, Score: score(400),
			Decision: &antq.DocumentRef{Number: "1/QĐ", Date: antq.NewDate(2021, 6, 1)}}, false, []string{"decision.date"}, antq.GradeWeak, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := factRules(t, area).CheckGrade(&in, tt.recognised)
			got := fields(err)
			if len(got) != len(tt.want) {
				t.Fatalf("fields %v (%v), want %v", got, err, tt.want)
			}
			for _, f := range tt.want {
				if got[f] == "" {
					t.Errorf("no reason for %s in %v", f, got)
				}
			}
			if err == nil && (in.RubricGrade != tt.rubric || in.Overridden != tt.overridden) {
				t.Errorf("rubric grade %q overridden %v, want %q %v", in.RubricGrade, in.Overridden, tt.rubric, tt.overridden)
			}
		})
	}
}

func TestCheckDecisionChange(t *testing.T) {
	old := &antq.DocumentRef{Number: "12/QĐ-UBND", Date: antq.NewDate(2023, 11, 20), Issuer: "UBND xã"}
	newDoc := &antq.DocumentRef{Number: "15/QĐ-UBND", Date: antq.NewDate(2023, 12, 1)}
	tests := []struct {
		name     string
		old, doc *antq.DocumentRef
		replaces string
		code     string
		replaced bool
	}{
		{"nothing decided yet", nil, newDoc, "", "", false},
		{"replaces with nothing to replace", nil, newDoc, "12/QĐ-UBND", antq.EINVALID, false},
		{"overwrite without a decision", old, nil, "", antq.ECONFLICT, false},
		{"overwrite under the same decision", old, &antq.DocumentRef{Number: "12/qđ-ubnd", Date: old.Date}, "12/QĐ-UBND", antq.ECONFLICT, false},
		{"new decision not naming the old", old, newDoc, "", antq.ECONFLICT, false},
		{"new decision naming another", old, newDoc, "13/QĐ-UBND", antq.ECONFLICT, false},
		{"new decision dated before the old", old, &antq.DocumentRef{Number: "15/QĐ-UBND", Date: antq.NewDate(2023, 11, 1)}, "12/QĐ-UBND", antq.EINVALID, false},
		{"new decision replacing the old", old, newDoc, " 12/QĐ-UBND ", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckDecisionChange(tt.old, tt.doc, tt.replaces)
			if antq.ErrorCode(err) != tt.code {
				t.Fatalf("error %v, want code %q", err, tt.code)
			}
			if (got != nil) != tt.replaced || (got != nil && got.Number != tt.old.Number) {
				t.Errorf("replaced %+v", got)
			}
		})
	}
	if err := CheckDecidedDelete(old); antq.ErrorCode(err) != antq.ECONFLICT {
		t.Errorf("delete of a decided result: %v", err)
	}
	if err := CheckDecidedDelete(nil); err != nil {
		t.Errorf("delete of an undecided result: %v", err)
	}
}

// A model is effective only after an explicit assessment; a new one starts
// not yet assessed. The registered size is the propaganda total unless a
// reason is given.
func TestCheckModelAssessmentAndPropagandaTotal(t *testing.T) {
	area := &antq.Unit{Code: "KDC", Name: "Khu dân cư", Kind: antq.KindResidentialArea}
	name, kind, status, yes := "Tổ tự quản", "tu_quan", antq.ModelNew, true
	m, err := factRules(t, area).CheckNewModel(antq.ModelInput{Name: &name, Kind: &kind, Status: &status})
	if err != nil || m.Effective || m.Assessment != nil {
		t.Fatalf("new model %+v, %v: want not yet assessed", m, err)
	}
	_, err = factRules(t, area).CheckNewModel(antq.ModelInput{Name: &name, Kind: &kind, Status: &status, Effective: &yes})
	if fields(err)["effective"] == "" {
		t.Errorf("effective without an assessment: %v", err)
	}
	_, err = factRules(t, area).CheckNewModel(antq.ModelInput{Name: &name, Kind: &kind, Status: &status, Effective: &yes,
		Assessment: &antq.ModelAssessment{On: antq.NewDate(2024, 2, 1), By: " "}})
	if f := fields(err); f["assessment.on"] == "" || f["assessment.by"] == "" || f["assessment.basis"] == "" {
		t.Errorf("incomplete assessment: %v", f)
	}
	m, err = factRules(t, area).CheckNewModel(antq.ModelInput{Name: &name, Kind: &kind, Status: &status, Effective: &yes,
		Assessment: &antq.ModelAssessment{On: antq.NewDate(2023, 10, 1), By: "Công an xã", Basis: "Biên bản 5/BB-CAX"}})
	if err != nil || !m.Effective {
		t.Errorf("assessed model: %+v, %v", m, err)
	}

	hh := int64(120)
	size := antq.UnitSize{Households: &hh}
	reached, other := int64(100), int64(110)
	p, err := factRules(t, area).CheckPropaganda(&antq.PropagandaInput{Reached: &reached, AsOf: antq.NewDate(2023, 10, 1)}, size)
	if err != nil || p.Total != 120 || p.TotalDiffers() {
		t.Fatalf("default total: %+v, %v", p, err)
	}
	_, err = factRules(t, area).CheckPropaganda(&antq.PropagandaInput{Reached: &reached, Total: &other, AsOf: antq.NewDate(2023, 10, 1)}, size)
	if fields(err)["total_reason"] == "" {
		t.Errorf("a different total without a reason: %v", err)
	}
	p, err = factRules(t, area).CheckPropaganda(&antq.PropagandaInput{Reached: &reached, Total: &other, TotalReason: "10 hộ chuyển đi", AsOf: antq.NewDate(2023, 10, 1)}, size)
	if err != nil || !p.TotalDiffers() || p.TotalReason == "" {
		t.Errorf("a different total with a reason: %+v, %v", p, err)
	}
}
