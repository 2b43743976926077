package cluster_test

import (
	"testing"

	"antq"
	"antq/cluster"
	"antq/indicator"
	"antq/rules"
)

func sheet(t *testing.T) *rules.Sheet {
	t.Helper()
	s, _, err := rules.EmbeddedSheet("binh-phuoc-cum-2023")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestComputedPoints(t *testing.T) {
	s := sheet(t)
	rec, _ := s.Criterion("pt.cong-nhan") // linear, 15 points at 70 %
	reg, _ := s.Criterion("pt.dang-ky")   // bands 90 % → 2, 95 % → 3.5, 100 % → 5
	for _, c := range []struct {
		cr       *rules.SheetCriterion
		num, den int64
		want     antq.Tenths
	}{
		{rec, 7, 10, 150}, {rec, 9, 10, 150}, {rec, 35, 100, 75},
		{rec, 1, 3, 71}, // 15 × (1/3) ÷ 0.7 = 7.142… → 7.1
		{rec, 0, 10, 0}, {rec, 0, 0, 0},
		{reg, 89, 100, 0}, {reg, 9, 10, 20}, {reg, 19, 20, 35}, {reg, 99, 100, 35}, {reg, 5, 5, 50},
	} {
		if got := cluster.ComputedPoints(c.cr, indicator.Fraction{Num: c.num, Den: c.den}); got != c.want {
			t.Errorf("%s at %d/%d = %s, want %s", c.cr.ID, c.num, c.den, got, c.want)
		}
	}
}

func entrant(code string, recognised, registered, excellent int64, reviewed antq.Tenths) cluster.Entrant {
	return cluster.Entrant{
		Unit: cluster.Unit{Code: code, Name: "Huyện " + code},
		Figures: cluster.Figures{
			rules.IndicatorRecognition:    {antq.KindCommune: {Num: recognised, Den: registered}},
			rules.IndicatorGradeExcellent: {antq.KindCommune: {Num: excellent, Den: registered}},
		},
		Scores: map[string]cluster.Score{"cd.ke-hoach": {Criterion: "cd.ke-hoach", Reviewed: &reviewed}},
	}
}

func TestRankTieBreaksAndTies(t *testing.T) {
	s := sheet(t)
	rows := cluster.Rank(s, []cluster.Entrant{
		entrant("A", 7, 10, 2, 80), // 15 + 8 = 23.0
		entrant("B", 7, 10, 3, 80), // 23.0, more Xuất sắc: above A
		entrant("C", 7, 10, 2, 80), // 23.0, equal to A on every step: tied with A
		entrant("D", 7, 10, 0, 95), // 24.5: first
	})
	want := []struct {
		code  string
		total antq.Tenths
		rank  int
		tied  bool
	}{{"D", 245, 1, false}, {"B", 230, 2, false}, {"A", 230, 3, true}, {"C", 230, 3, true}}
	for i, w := range want {
		r := rows[i]
		if r.Unit.Code != w.code || r.Total != w.total || r.Rank != w.rank || r.Tied != w.tied {
			t.Errorf("row %d = %s %s rank %d tied %v, want %+v", i, r.Unit.Code, r.Total, r.Rank, r.Tied, w)
		}
	}
	if rows[1].DecidedBy != -1 || rows[2].DecidedBy != 0 {
		t.Errorf("decided by: B %d, A %d; want -1 (total vs D) and 0 (Xuất sắc)", rows[1].DecidedBy, rows[2].DecidedBy)
	}
	// The vote, the last step, breaks what is left.
	a, c := entrant("A", 7, 10, 2, 80), entrant("C", 7, 10, 2, 80)
	a.Vote, c.Vote = &rules.Ratio{Num: 5, Den: 9}, &rules.Ratio{Num: 6, Den: 9}
	rows = cluster.Rank(s, []cluster.Entrant{a, c})
	if rows[0].Unit.Code != "C" || rows[0].Tied || rows[1].Rank != 2 || rows[1].DecidedBy != 2 {
		t.Errorf("vote tie-break: %+v", rows)
	}
}

func TestDeductionAndBonus(t *testing.T) {
	s := sheet(t)
	five, three := antq.Tenths(50), antq.Tenths(30)
	e := cluster.Entrant{Unit: cluster.Unit{Code: "X"}, Scores: map[string]cluster.Score{
		"thuong": {Reviewed: &three}, "tru": {Self: &five}}}
	_, total := cluster.Sheet(s, e)
	if total != 0 { // 3 − 5 is below zero: a total is never negative
		t.Errorf("total %s, want 0.0", total)
	}
	e.Scores["cd.bao-cao"] = cluster.Score{Self: &five}
	lines, total := cluster.Sheet(s, e)
	if total != 30 {
		t.Errorf("total %s, want 3.0 (5 self + 3 bonus − 5 deduction)", total)
	}
	for _, l := range lines {
		if l.ID == "cd.bao-cao" && l.Basis != "self" {
			t.Errorf("basis %q, want self (not reviewed yet)", l.Basis)
		}
	}
	bad := antq.Tenths(110)
	err := cluster.CheckScores(s, []cluster.ScoreInput{{Criterion: "cd.ke-hoach", Reviewed: &bad}, {Criterion: "thuong", Self: &three}, {Criterion: "pt.cong-nhan", Self: &three}})
	f := antq.ErrorFields(err)
	if f["scores[0].reviewed"] == "" || f["scores[1].self_note"] == "" || f["scores[2].criterion"] == "" {
		t.Errorf("errors %v", f)
	}
}

func TestCarriesFigures(t *testing.T) {
	for _, c := range []struct {
		s    cluster.Succession
		want bool
	}{
		{cluster.Succession{Kind: antq.LineageRename, Froms: 1, Tos: 1}, true},
		{cluster.Succession{Kind: antq.LineageRetype, Froms: 1, Tos: 1}, true},
		{cluster.Succession{Kind: antq.LineageMerge, Froms: 1, Tos: 1}, false}, // absorbed by a unit in force
		{cluster.Succession{Kind: antq.LineageMerge, Froms: 3, Tos: 1}, false}, // merged with others
		{cluster.Succession{Kind: antq.LineageRename, Froms: 1, Tos: 1, Partial: true}, false},
		{cluster.Succession{Kind: antq.LineageSplit, Froms: 1, Tos: 2}, false},
		{cluster.Succession{Kind: antq.LineageAbolish, Froms: 1, Tos: 0}, false},
	} {
		if got := cluster.CarriesFigures(c.s); got != c.want {
			t.Errorf("%+v: %v, want %v", c.s, got, c.want)
		}
	}
}
