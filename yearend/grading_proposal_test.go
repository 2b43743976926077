package yearend_test

import (
	"strings"
	"testing"

	"antq"
	"antq/rules"
	"antq/yearend"
)

// Issue 16 item 12: an empty grading dossier proposes no grade, and the
// reviewed total is the reviewed scores only, never the self scores
// standing in for missing ones.
func TestGradingProposal(t *testing.T) {
	rs := rules.GradingSet(loadSets(t))
	rb, ok := rs.Rubric(antq.KindResidentialArea)
	if !ok {
		t.Fatal("no rubric for residential areas")
	}
	items := yearend.LeafItems(rb)
	full := func(minus antq.Tenths) map[string]yearend.ScoreView {
		m := map[string]yearend.ScoreView{}
		for i, it := range items {
			v := it.MaxPoints
			if i == 0 {
				v -= minus
			}
			m[it.ID] = yearend.ScoreView{Self: &v}
		}
		return m
	}
	fill := func(scores map[string]yearend.ScoreView) *yearend.Dossier {
		d := &yearend.Dossier{Kind: yearend.DossierGrading, State: yearend.Draft}
		d.SetScores(rb, scores, true, "")
		return d
	}

	empty := fill(map[string]yearend.ScoreView{})
	if empty.ComputedGrade != "" || empty.Grade != "" || empty.GradeBasis != "" {
		t.Fatalf("an empty dossier proposes %q / %q (basis %q)", empty.ComputedGrade, empty.Grade, empty.GradeBasis)
	}
	if !strings.Contains(strings.Join(empty.GradeReasons, " "), "Chưa nhập điểm") {
		t.Fatalf("an empty dossier's reasons: %v", empty.GradeReasons)
	}

	// Self scores only: the proposal says it comes from the self scores,
	// and the reviewed total stays 0 (nothing reviewed), not the self total.
	self := fill(full(0))
	if self.GradeBasis != yearend.GradeFromSelf || self.ComputedGrade != antq.GradeExcellent {
		t.Fatalf("self-scored proposal = %q from %q", self.ComputedGrade, self.GradeBasis)
	}
	if self.ReviewedTotal != 0 || self.ReviewedScored != 0 || self.SelfTotal != rb.Total() {
		t.Fatalf("totals self %v reviewed %v (%d reviewed)", self.SelfTotal, self.ReviewedTotal, self.ReviewedScored)
	}
	if !strings.Contains(strings.Join(self.GradeReasons, " "), "điểm tự chấm") {
		t.Fatalf("the proposal does not say it is the self score's: %v", self.GradeReasons)
	}

	// One item reviewed: the reviewed total is that one score, and no grade
	// is proposed until every item is reviewed.
	part := full(0)
	low := antq.Tenths(0)
	v := part[items[0].ID]
	v.Reviewed = &low
	part[items[0].ID] = v
	partial := fill(part)
	if partial.ReviewedTotal != 0 || partial.ReviewedScored != 1 || partial.ComputedGrade != "" {
		t.Fatalf("partially reviewed: total %v, %d reviewed, grade %q", partial.ReviewedTotal, partial.ReviewedScored, partial.ComputedGrade)
	}
	if !strings.Contains(strings.Join(partial.GradeReasons, " "), "chưa có điểm thẩm định") {
		t.Fatalf("partially reviewed reasons: %v", partial.GradeReasons)
	}

	// Every item reviewed: the grade follows the reviewed total.
	all := full(0)
	for i, it := range items {
		r := it.MaxPoints
		if i == 0 {
			r = 0
		}
		v := all[it.ID]
		v.Reviewed = &r
		all[it.ID] = v
	}
	reviewed := fill(all)
	if reviewed.GradeBasis != yearend.GradeFromReviewed || reviewed.ReviewedTotal != rb.Total()-items[0].MaxPoints {
		t.Fatalf("reviewed: basis %q total %v", reviewed.GradeBasis, reviewed.ReviewedTotal)
	}
	if want, _ := rb.Grade(reviewed.ReviewedTotal, true); reviewed.ComputedGrade != want {
		t.Fatalf("reviewed grade %q, bands give %q", reviewed.ComputedGrade, want)
	}

	// Reviewing needs every item's reviewed score.
	self.Duty.Actor = yearend.Actor{System: true, MayWrite: true, MayDecide: true}
	self.State = yearend.Submitted
	_, err := yearend.CheckTransition(self, yearend.Review, yearend.TransitionInput{}, antq.MustDate("2023-11-01"))
	if e, ok := err.(*antq.Error); !ok || e.Fields["scores."+items[0].ID] != "chưa có điểm thẩm định" {
		t.Fatalf("review without reviewed scores: %v", err)
	}
}
