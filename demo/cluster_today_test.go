package demo_test

import (
	"context"
	"testing"

	"antq"
	"antq/demo"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
)

// Today's cụm of communes: Cụm thi đua số 1 of 2026, organised by Thành
// phố Đồng Nai, headed by Phường Đồng Xoài, with its pact and the nine
// communes (Xã Đồng Phú, renamed Phường Đồng Phú on 30/04/2026, ranked on
// the figures of its version in the plan's tree), on the 2026 sheet (unverified); each computed criterion of each
// member carries the official figure the dong-nai-2026 indicators give for
// the member's commune and the points the sheet's method gives for it;
// totals add up; scoring is under way and nothing is closed; a second load
// changes nothing.
func TestLoadTodayCluster(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		if _, err := demo.LoadUnitsUnderNation(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, loaded, err := demo.LoadToday(ctx, db); err != nil || !loaded {
			t.Fatalf("today: %v, %v", loaded, err)
		}
		if loaded, err := demo.LoadTodayCluster(ctx, db); err != nil || !loaded {
			t.Fatalf("load: %v, %v", loaded, err)
		}
		list, err := db.Clusters(ctx, 2026)
		if err != nil || len(list) != 1 {
			t.Fatalf("%d clusters of 2026, %v", len(list), err)
		}
		c := list[0]
		if c.Code != demo.TodayClusterCode || c.Organiser.Code != demo.TodayCode || c.Head == nil || c.Head.Code != demo.TodayYearEndCommune ||
			c.Pact == nil || c.Pact.Number == "" || c.SheetID != demo.TodaySheetID || c.Closed != nil {
			t.Fatalf("cluster %+v", c)
		}
		if len(c.Members) != len(demo.TodayClusterMembers) {
			t.Fatalf("%d members, want %d", len(c.Members), len(demo.TodayClusterMembers))
		}
		renamed := false
		for _, m := range c.Members {
			if m.Unit.Code == demo.TodayClusterRenamed {
				renamed = true
				if m.Unit.Name != "Xã Đồng Phú" || !m.Ended {
					t.Errorf("member %s shown as %q, ended %v: want Xã Đồng Phú as it joined, ended", m.Unit.Code, m.Unit.Name, m.Ended)
				}
			}
			u, err := db.FindUnitByCode(ctx, m.Unit.Code, antq.NewDate(2026, 12, 31))
			if err != nil || u.Kind != antq.KindCommune || u.ParentCode != demo.TodayCode {
				t.Errorf("member %s: %+v, %v: want a commune of Thành phố Đồng Nai", m.Unit.Code, u, err)
			}
		}
		if !renamed {
			t.Errorf("no member %s (renamed on 30/04/2026)", demo.TodayClusterRenamed)
		}
		r, err := db.ClusterRanking(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Sheet.Plan != demo.TodayPlanID || r.Sheet.Verified() {
			t.Errorf("sheet on plan %s, verified %v: want %s, unverified", r.Sheet.Plan, r.Sheet.Verified(), demo.TodayPlanID)
		}
		if len(r.Rows) != len(c.Members) {
			t.Fatalf("%d rows for %d members", len(r.Rows), len(c.Members))
		}
		counted := 0
		for i, row := range r.Rows {
			if i > 0 && row.Total > r.Rows[i-1].Total {
				t.Errorf("row %d (%s, %s) above row %d (%s)", i, row.Unit.Code, row.Total, i-1, r.Rows[i-1].Total)
			}
			rep, err := db.Indicators(ctx, demo.TodayPlanID, row.Unit.Code)
			if err != nil {
				t.Fatal(err)
			}
			var sum antq.Tenths
			for _, l := range row.Lines {
				cr, ok := r.Sheet.Criterion(l.ID)
				if !ok {
					t.Fatalf("line %s not on the sheet", l.ID)
				}
				if cr.Kind == rules.ScoringDeduction {
					sum -= l.Points
				} else {
					sum += l.Points
				}
				if cr.Kind != rules.ScoringComputed {
					continue
				}
				var num, den int64
				found := false
				for _, f := range rep.Unit.Figures {
					if f.ID == cr.Indicator {
						num, den, found = f.Num, f.Den, true
					}
				}
				if !found {
					t.Fatalf("%s: no figure %s in the indicators", row.Unit.Code, cr.Indicator)
				}
				if l.Figure == nil || l.Figure.Num != num || l.Figure.Den != den {
					t.Errorf("%s %s: figure %+v, indicators say %d/%d", row.Unit.Code, cr.ID, l.Figure, num, den)
				}
				if den > 0 {
					counted++
				}
				// Points by the sheet's arithmetic, written out.
				var want antq.Tenths
				if den > 0 {
					switch cr.Method {
					case rules.MethodLinear:
						want = min(cr.Max, antq.Tenths(int64(cr.Max)*num*cr.Target.Den/(den*cr.Target.Num)))
					case rules.MethodBands:
						for _, b := range cr.Bands {
							if (rules.Ratio{Num: num, Den: den}).AtLeast(b.From) {
								want = b.Points
							}
						}
					}
				}
				if l.Points != want {
					t.Errorf("%s %s: %s points for %d/%d, want %s", row.Unit.Code, cr.ID, l.Points, num, den, want)
				}
			}
			if row.Total != max(sum, 0) {
				t.Errorf("%s: total %s, lines add up to %s", row.Unit.Code, row.Total, sum)
			}
		}
		if counted == 0 {
			t.Error("no computed criterion counted any unit: the 2026 figures did not reach the ranking")
		}
		reviewed, self := 0, 0
		for _, byCrit := range r.Scores {
			for _, s := range byCrit {
				if s.Reviewed != nil {
					reviewed++
				} else if s.Self != nil {
					self++
				}
			}
		}
		if reviewed == 0 || self == 0 {
			t.Errorf("%d reviewed, %d self-scored only: want scoring under way", reviewed, self)
		}
		if loaded, err := demo.LoadTodayCluster(ctx, db); err != nil || loaded {
			t.Fatalf("second load: %v, %v", loaded, err)
		}
	})
}
