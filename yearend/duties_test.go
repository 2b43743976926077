package yearend_test

import (
	"strings"
	"testing"

	"antq"
	"antq/yearend"
)

// A tree: province 1 > district 2 > commune 3 > residential area 4, and
// another district 5. The area's recognition is decided by UBND of
// commune 3 (Chain: 3, 2, 1).
func TestCheckDuties(t *testing.T) {
	area := func(a yearend.Action, actor yearend.Actor, submittedBy string) yearend.Step {
		return yearend.Step{Action: a, Actor: actor, UnitID: 4, UnitName: "Khu phố 1",
			History:   yearend.History{SubmittedBy: submittedBy},
			Authority: yearend.DecidingUnit{Label: "UBND phường Tân Phú", Chain: []int64{3, 2, 1}}}
	}
	areaReviewer := yearend.Actor{Username: "kp1", UnitID: 4}
	commune := yearend.Actor{Username: "tanphu", UnitID: 3}
	commune2 := yearend.Actor{Username: "tanphu2", UnitID: 3}
	district := yearend.Actor{Username: "dongxoai", UnitID: 2}
	province := yearend.Actor{Username: "pv05", UnitID: 1}
	otherDistrict := yearend.Actor{Username: "budang", UnitID: 5}
	system := yearend.Actor{Username: "system", System: true}
	for _, tt := range []struct {
		name string
		step yearend.Step
		want string // "" allowed, else a fragment of the reason
	}{
		// The attack of the review: an area's own account does it all.
		{"area submits its own dossier", area(yearend.Submit, areaReviewer, ""), ""},
		{"area reviews itself", area(yearend.Review, areaReviewer, "kp1"), "chính đơn vị được đánh giá"},
		{"area reviews itself, submitted by another", area(yearend.Review, areaReviewer, "x"), "chính đơn vị được đánh giá"},
		{"area returns itself", area(yearend.Return, areaReviewer, "x"), "chính đơn vị được đánh giá"},
		{"area decides itself", area(yearend.Decide, areaReviewer, "x"), "chính đơn vị được đánh giá"},
		{"area reopens itself", area(yearend.Reopen, areaReviewer, "x"), "chính đơn vị được đánh giá"},
		// The submitter neither reviews nor decides.
		{"commune reviews what it submitted", area(yearend.Review, commune, "tanphu"), "Người đã gửi hồ sơ"},
		{"commune decides what it submitted", area(yearend.Decide, commune, "tanphu"), "Người đã gửi hồ sơ"},
		{"commune returns what it submitted", area(yearend.Return, commune, "tanphu"), ""},
		{"a colleague reviews", area(yearend.Review, commune2, "tanphu"), ""},
		{"a colleague decides", area(yearend.Decide, commune2, "tanphu"), ""},
		{"commune reviews the area's submission", area(yearend.Review, commune, "kp1"), ""},
		// The deciding authority or above.
		{"commune decides", area(yearend.Decide, commune, "kp1"), ""},
		{"district decides", area(yearend.Decide, district, "kp1"), ""},
		{"province decides", area(yearend.Decide, province, "kp1"), ""},
		{"province reopens", area(yearend.Reopen, province, "kp1"), ""},
		{"another district decides", area(yearend.Decide, otherDistrict, "kp1"), "Chỉ UBND phường Tân Phú hoặc cấp trên"},
		{"another district reopens", area(yearend.Reopen, otherDistrict, "kp1"), "Chỉ UBND phường Tân Phú hoặc cấp trên"},
		{"no deciding unit in the tree", func() yearend.Step {
			s := area(yearend.Decide, province, "kp1")
			s.Authority.Chain = nil
			return s
		}(), "Không xác định được đơn vị"},
		// The command line does everything (demo, repairs).
		{"system reviews what it submitted", area(yearend.Review, system, "system"), ""},
		{"system decides without a deciding unit", func() yearend.Step {
			s := area(yearend.Decide, system, "system")
			s.Authority.Chain = nil
			return s
		}(), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := yearend.CheckDuties(tt.step)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("allowed, want refused (%s)", tt.want)
			case tt.want != "" && (antq.ErrorCode(err) != antq.EFORBIDDEN || !strings.Contains(antq.ErrorMessage(err), tt.want)):
				t.Fatalf("refusal = %s %q, want forbidden with %q", antq.ErrorCode(err), antq.ErrorMessage(err), tt.want)
			}
		})
	}
}

// A commune is decided by its district's UBND: the commune cannot decide
// itself even though it is an ancestor of nothing in the chain, and a
// district-level account of the commune's own district can.
func TestCheckDutiesCommune(t *testing.T) {
	step := yearend.Step{Action: yearend.Decide, UnitID: 3, UnitName: "Phường Tân Phú",
		History:   yearend.History{SubmittedBy: "tanphu"},
		Authority: yearend.DecidingUnit{Label: "UBND thành phố Đồng Xoài", Chain: []int64{2, 1}}}
	step.Actor = yearend.Actor{Username: "tanphu2", UnitID: 3}
	if err := yearend.CheckDuties(step); err == nil {
		t.Fatal("a commune account decided its own commune")
	}
	step.Actor = yearend.Actor{Username: "dongxoai", UnitID: 2}
	if err := yearend.CheckDuties(step); err != nil {
		t.Fatalf("the district's account: %v", err)
	}
}
