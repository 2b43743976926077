package rules

import (
	"strings"
	"testing"

	"antq"
)

func TestEmbeddedRubrics(t *testing.T) {
	rs := embeddedRuleSet(t, "qd510-2022")
	for _, kind := range []antq.UnitKind{antq.KindResidentialArea, antq.KindCommune, antq.KindDistrict,
		antq.KindAgency, antq.KindEnterprise, antq.KindSchool} {
		r, ok := rs.Rubric(kind)
		if !ok {
			t.Errorf("no rubric for %s", kind)
			continue
		}
		if r.Total() != 1000 {
			t.Errorf("%s rubric totals %s", kind, r.Total())
		}
	}
	r, _ := rs.Rubric(antq.KindAgency)
	// The items the reference verified (QĐ 510 Art. 7) and their maxima.
	for id, max := range map[string]antq.Tenths{"r510.cqdn.1": 30, "r510.cqdn.2": 30, "r510.cqdn.3": 50, "r510.cqdn.4a": 10} {
		it, ok := r.Item(id)
		if !ok || it.MaxPoints != max || !it.Verified {
			t.Errorf("%s = %+v, want max %s verified", id, it, max)
		}
	}
	if it, _ := r.Item("r510.cqdn.4"); it.Verified {
		t.Error("item 4's total is not verified")
	}
	for _, b := range r.Bands() {
		if b.Verified {
			t.Errorf("grade band %s must be unverified", b.Grade)
		}
	}
}

func TestGrade(t *testing.T) {
	rs := embeddedRuleSet(t, "qd510-2022")
	agency, _ := rs.Rubric(antq.KindAgency)
	district, _ := rs.Rubric(antq.KindDistrict)
	tests := []struct {
		name       string
		rubric     *Rubric
		total      antq.Tenths
		recognised bool
		want       Grade
		reason     string // a substring of the last reason
	}{
		{"top, recognised", agency, 950, true, GradeExcellent, "Tổng điểm 95,0 ≥ 90,0: Xuất sắc"},
		{"threshold exactly", agency, 900, true, GradeExcellent, "≥ 90,0"},
		{"just below excellent", agency, 899, true, GradeGood, "Tổng điểm 89,9 ≥ 70,0: Khá"},
		{"top points but not recognised", agency, 950, false, GradeGood, "Khá"},
		{"good", agency, 700, false, GradeGood, "Khá"},
		{"just below good", agency, 699, true, GradeAverage, "Trung bình"},
		{"average", agency, 500, true, GradeAverage, "Trung bình"},
		{"just below average", agency, 499, true, GradeWeak, "Yếu"},
		{"zero", agency, 0, false, GradeWeak, "Yếu"},
		{"full marks", agency, 1000, true, GradeExcellent, "Xuất sắc"},
		{"above the maximum", agency, 1001, true, "", "ngoài khoảng 0–100,0"},
		{"negative", agency, -5, true, "", "ngoài khoảng"},
		// Districts are not recognised under TT 124: the gate does not apply.
		{"district not recognised", district, 950, false, GradeExcellent, "Xuất sắc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, reasons := tt.rubric.Grade(tt.total, tt.recognised)
			if g != tt.want {
				t.Errorf("Grade(%s, %v) = %q, want %q (%v)", tt.total, tt.recognised, g, tt.want, reasons)
			}
			if len(reasons) == 0 || !strings.Contains(reasons[len(reasons)-1], tt.reason) {
				t.Errorf("reasons %q do not end with %q", reasons, tt.reason)
			}
			if g != "" && !strings.Contains(strings.Join(reasons, " "), "chưa đối chiếu văn bản") {
				t.Errorf("reasons %q do not say the threshold is unverified", reasons)
			}
		})
	}
	// The gate explains itself.
	_, reasons := agency.Grade(950, false)
	if len(reasons) != 2 || !strings.Contains(reasons[0], "Chỉ xếp loại Xuất sắc khi được công nhận") {
		t.Errorf("gate reasons = %q", reasons)
	}
}

func TestGradeOrder(t *testing.T) {
	tests := []struct {
		g, o Grade
		want bool
	}{
		{GradeExcellent, GradeAverage, true},
		{GradeGood, GradeGood, true},
		{GradeAverage, GradeGood, false},
		{GradeWeak, GradeAverage, false},
		{"", GradeWeak, false}, // not graded counts below every grade
	}
	for _, tt := range tests {
		if got := tt.g.AtLeast(tt.o); got != tt.want {
			t.Errorf("%q.AtLeast(%q) = %v", tt.g, tt.o, got)
		}
	}
	if GradeExcellent.Label() != "Xuất sắc" || GradeAverage.Label() != "Trung bình" || GradeWeak.Label() != "Yếu" || GradeGood.Label() != "Khá" {
		t.Error("grade labels")
	}
	if IndicatorGradeGoodOrBetter.MinGrade() != GradeGood || IndicatorModels.MinGrade() != "" {
		t.Error("MinGrade")
	}
}
