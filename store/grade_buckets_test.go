package store_test

import (
	"slices"
	"testing"

	"antq"
	"antq/indicator"
	"antq/store"
	"antq/store/storetest"
)

// TestGradeBuckets: the grade distribution keeps the ungraded units apart
// from "Yếu", from the counts maintained on write, and each bucket lists
// its units (the dashboard's drill-down).
func TestGradeBuckets(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		for _, g := range []struct {
			code  string
			grade antq.Grade
			score antq.Tenths
		}{{"25195-KDC01", antq.GradeGood, 800}, {"25195-KDC02", antq.GradeWeak, 400}, {"25195", antq.GradeAverage, 600}} {
			if _, err := db.PutGrade(ctx, planID, g.code, antq.GradeRecord{Grade: g.grade, Score: &g.score, OverrideReason: "Theo biên bản chấm điểm"}); err != nil {
				t.Fatalf("grade %s: %v", g.code, err)
			}
		}
		rep, err := db.Indicators(ctx, planID, "70")
		if err != nil {
			t.Fatal(err)
		}
		counts, total, ok := indicator.GradeCounts(rep.Unit.Figures)
		if !ok {
			t.Fatal("no grade distribution for the province")
		}
		if counts[indicator.BucketWeak] != 1 || counts[indicator.BucketGood] != 1 || counts[indicator.BucketAverage] != 1 || counts[indicator.BucketExcellent] != 0 {
			t.Fatalf("counts = %v", counts)
		}
		if counts[indicator.BucketUngraded] != total-3 || counts[indicator.BucketUngraded] == 0 {
			t.Fatalf("ungraded = %d of %d, want every gradable unit but the 3 graded", counts[indicator.BucketUngraded], total)
		}
		var sum int64
		for _, b := range indicator.GradeBuckets {
			units, n, err := db.GradeUnits(ctx, planID, "70", b, 0, 100)
			if err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			if int64(n) != counts[b] || len(units) != n {
				t.Errorf("%s lists %d (%d), counts say %d", b, len(units), n, counts[b])
			}
			sum += int64(n)
			var codes []string
			for _, u := range units {
				codes = append(codes, u.Unit.Code)
			}
			switch b {
			case indicator.BucketWeak:
				if !slices.Equal(codes, []string{"25195-KDC02"}) || units[0].Grade != antq.GradeWeak || units[0].Score == nil || *units[0].Score != 400 {
					t.Errorf("Yếu = %v %+v", codes, units)
				}
			case indicator.BucketGood:
				if !slices.Equal(codes, []string{"25195-KDC01"}) {
					t.Errorf("Khá = %v", codes)
				}
			case indicator.BucketUngraded:
				if !slices.Contains(codes, "25200-KDC01") || slices.Contains(codes, "25195-KDC02") || slices.Contains(codes, "25195") {
					t.Errorf("Chưa xếp loại = %v", codes)
				}
				for _, u := range units {
					if u.Grade != "" {
						t.Errorf("ungraded %s has grade %s", u.Unit.Code, u.Grade)
					}
				}
			}
		}
		if sum != total {
			t.Errorf("buckets hold %d units, the denominator %d", sum, total)
		}
		// Incremental equals rebuilt with the new breakdown.
		before, _ := db.IndicatorState(ctx, planID)
		if _, err := db.Rebuild(ctx, planID); err != nil {
			t.Fatal(err)
		}
		if after, _ := db.IndicatorState(ctx, planID); after != before {
			t.Errorf("rebuilt state differs from the maintained one")
		}
		_, _, err = db.GradeUnits(ctx, planID, "70", "kem", 0, 10)
		wantInvalid(t, err, "grade")
	})
}
