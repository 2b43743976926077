package store_test

import (
	"context"
	"testing"

	"antq"
	"antq/cluster"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
)

func strp(s string) *string { return &s }

// newCluster creates, as the command line, the cụm of the fixture's two
// districts, Đồng Xoài at its head.
func newCluster(t *testing.T, db *store.DB, sys context.Context) *cluster.Cluster {
	t.Helper()
	year, kind := 2023, cluster.KindCum
	c, err := db.CreateCluster(sys, cluster.Input{Code: strp("cum-1"), Name: strp("Cụm thi đua số 1"), Year: &year, Kind: &kind,
		Organiser: strp("70"), Sheet: strp("binh-phuoc-cum-2023"), Head: strp("689"),
		Pact:    &cluster.Pact{Number: "01/GƯTĐ-C1", SignedOn: antq.MustDate("2023-03-10")},
		Members: []cluster.MemberInput{{Code: "689"}, {Code: "693"}}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rowOf(t *testing.T, r *store.Ranking, code string) cluster.Row {
	t.Helper()
	for _, row := range r.Rows {
		if row.Unit.Code == code {
			return row
		}
	}
	t.Fatalf("no row for %s in %+v", code, r.Rows)
	return cluster.Row{}
}

func lineOf(t *testing.T, row cluster.Row, id string) cluster.Line {
	t.Helper()
	for _, l := range row.Lines {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("no line %s", id)
	return cluster.Line{}
}

// wantComputedFromIndicators: each computed line of each member carries the
// official figure of the member's subtree the indicators report gives, and
// the points the sheet's method gives for it.
func wantComputedFromIndicators(t *testing.T, db *store.DB, r *store.Ranking) {
	t.Helper()
	for _, row := range r.Rows {
		rep, err := db.Indicators(antq.SystemContext(context.Background()), planID, row.Unit.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, cr := range r.Sheet.Criteria() {
			if cr.Kind != rules.ScoringComputed {
				continue
			}
			f := figureOf(t, rep, cr.Indicator)
			l := lineOf(t, row, cr.ID)
			if l.Figure == nil || l.Figure.Num != f.Num || l.Figure.Den != f.Den {
				t.Errorf("%s %s: figure %+v, indicators say %d/%d", row.Unit.Code, cr.ID, l.Figure, f.Num, f.Den)
			}
			// Points by the sheet's arithmetic, written out for the two methods.
			var want antq.Tenths
			if f.Den > 0 {
				switch cr.Method {
				case rules.MethodLinear:
					want = min(cr.Max, antq.Tenths(int64(cr.Max)*f.Num*cr.Target.Den/(f.Den*cr.Target.Num)))
				case rules.MethodBands:
					for _, b := range cr.Bands {
						if (rules.Ratio{Num: f.Num, Den: f.Den}).AtLeast(b.From) {
							want = b.Points
						}
					}
				}
			}
			if l.Points != want {
				t.Errorf("%s %s: %s points for %d/%d, want %s", row.Unit.Code, cr.ID, l.Points, f.Num, f.Den, want)
			}
		}
	}
}

func TestClusterRankingFollowsOfficialFigures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		c := newCluster(t, db, sys)
		for _, code := range []string{"25195", "25195-KDC01", "25195-KDC02", "25200"} {
			if _, err := db.PutRegistration(sys, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-03-15")}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.PutRecognition(sys, planID, "25195-KDC01", antq.Recognition{Result: "dat", DecidedOn: antq.MustDate("2023-12-20")}); err != nil {
			t.Fatal(err)
		}
		r, err := db.ClusterRanking(sys, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantComputedFromIndicators(t, db, r)
		if r.Rows[0].Unit.Code != "689" || r.Rows[0].Rank != 1 || r.Rows[1].Rank != 2 {
			t.Fatalf("ranking %+v, want Đồng Xoài first (a recognised area)", r.Rows)
		}
		// Bù Đăng, 2.5 reviewed points behind on the movement's figures…
		twoFive := antq.Tenths(25)
		if r, err = db.UpdateScores(sys, c.ID, "693", []cluster.ScoreInput{{Criterion: "cd.ke-hoach", Reviewed: &twoFive}}); err != nil {
			t.Fatal(err)
		}
		before := rowOf(t, r, "693").Total
		if rank := rowOf(t, r, "693").Rank; rank != 2 {
			t.Fatalf("Bù Đăng ranked %d before, want 2", rank)
		}

		// A residential area of Bù Đăng registers: draft, submitted (not
		// official yet: the ranking does not move), approved by its commune
		// (official: Bù Đăng's total moves at once, no rebuild).
		entry := asUser(t, db, "ap1", antq.RoleDataEntry, "25200-KDC01")
		commune := asUser(t, db, "doanket", antq.RoleReviewer, "25200")
		if _, err := db.PutRegistration(entry, planID, "25200-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-03-20"),
			Document: &antq.DocumentRef{Number: "01/ĐK-A1", Date: antq.MustDate("2023-03-20")}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.StepFact(entry, planID, "25200-KDC01", antq.FactRegistration, 0, antq.ApprovalSubmit, ""); err != nil {
			t.Fatal(err)
		}
		r, _ = db.ClusterRanking(sys, c.ID)
		if got := rowOf(t, r, "693").Total; got != before {
			t.Fatalf("a submitted fact moved the total %s → %s: only official figures count", before, got)
		}
		if _, err := db.StepFact(commune, planID, "25200-KDC01", antq.FactRegistration, 0, antq.ApprovalApprove, ""); err != nil {
			t.Fatal(err)
		}
		r, _ = db.ClusterRanking(sys, c.ID)
		moved := rowOf(t, r, "693").Total
		if moved == before || rowOf(t, r, "693").Rank != 1 || rowOf(t, r, "689").Rank != 2 {
			t.Fatalf("the approved registration did not move Bù Đăng's total (%s → %s) and rank to first: %+v", before, moved, r.Rows)
		}
		wantComputedFromIndicators(t, db, r)

		// Closed: a newly approved fact does not move it; reopening needs a
		// reason, then it follows the figures again.
		if _, err := db.CloseRanking(sys, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutRecognition(sys, planID, "25200", antq.Recognition{Result: "dat", DecidedOn: antq.MustDate("2023-12-20")}); err != nil {
			t.Fatal(err)
		}
		r, _ = db.ClusterRanking(sys, c.ID)
		if got := rowOf(t, r, "693").Total; got != moved || r.Cluster.Closed == nil {
			t.Fatalf("closed ranking moved: %s → %s", moved, got)
		}
		five := antq.Tenths(50)
		_, err = db.UpdateScores(sys, c.ID, "693", []cluster.ScoreInput{{Criterion: "cd.ke-hoach", Reviewed: &five}})
		wantCode(t, err, antq.ECONFLICT)
		_, err = db.ReopenRanking(sys, c.ID, " ")
		wantInvalid(t, err, "reason")
		if _, err := db.ReopenRanking(sys, c.ID, "Sở Nội vụ đề nghị cập nhật quyết định công nhận"); err != nil {
			t.Fatal(err)
		}
		r, _ = db.ClusterRanking(sys, c.ID)
		if got := rowOf(t, r, "693").Total; got == moved {
			t.Fatalf("reopened ranking does not follow the figures (%s)", got)
		}
		found := false
		for _, a := range auditRows(t, db, "cluster_ranking", "2023/cum-1") {
			if a.Action == "reopen" && a.Reason == "Sở Nội vụ đề nghị cập nhật quyết định công nhận" {
				found = true
			}
		}
		if !found {
			t.Error("the reopening is not in the audit trail with its reason")
		}
	})
}

func TestClusterTiesShown(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		c := newCluster(t, db, sys)
		// No facts, no scores: equal on the total and every tie-break but
		// the vote, which nobody has yet: a tie, shown.
		r, err := db.ClusterRanking(sys, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range r.Rows {
			if row.Rank != 1 || !row.Tied {
				t.Fatalf("row %+v: want rank 1, tied", row)
			}
		}
		// The meeting's vote breaks it.
		for _, v := range []struct {
			unit  string
			votes int
			award cluster.Award
		}{{"693", 2, cluster.AwardFlag}, {"689", 1, cluster.AwardCertificate}} {
			if _, err := db.RecordNomination(sys, c.ID, cluster.NominationInput{Unit: v.unit, Award: v.award, MeetingOn: antq.MustDate("2023-12-28"), Present: 2, VotesFor: v.votes}); err != nil {
				t.Fatal(err)
			}
		}
		r, _ = db.ClusterRanking(sys, c.ID)
		if r.Rows[0].Unit.Code != "693" || r.Rows[0].Tied || r.Rows[1].Rank != 2 {
			t.Fatalf("after the vote: %+v", r.Rows)
		}
		_, err = db.RecordNomination(sys, c.ID, cluster.NominationInput{Unit: "689", Award: cluster.AwardFlag, MeetingOn: antq.MustDate("2023-12-28"), Present: 3, VotesFor: 4})
		wantInvalid(t, err, "unit", "present", "votes_for")
		noms, err := db.ClusterNominations(sys, 2023)
		if err != nil || len(noms) != 2 {
			t.Fatalf("nominations %+v, %v", noms, err)
		}
	})
}

func TestClusterScopes(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		c := newCluster(t, db, sys)
		year, kind := 2023, cluster.KindKhoi
		khoi, err := db.CreateCluster(sys, cluster.Input{Code: strp("khoi-6"), Name: strp("Khối thi đua số 6"), Year: &year, Kind: &kind,
			Organiser: strp("70"), Sheet: strp("binh-phuoc-khoi-2023"), Head: strp("70-CQ001"), Members: []cluster.MemberInput{{Code: "70-CQ001"}}})
		if err != nil {
			t.Fatal(err)
		}
		head := asUser(t, db, "cumtruong", antq.RoleClusterHead, "689")
		otherHead := asUser(t, db, "budang", antq.RoleClusterHead, "693")
		memberEntry := asUser(t, db, "nhaplieu693", antq.RoleDataEntry, "693")
		commune := asUser(t, db, "tanphu", antq.RoleClusterHead, "25195")
		province := asUser(t, db, "tinh", antq.RolePlanManager, "70")

		// The head sees every member, across subtrees; not the other cluster.
		r, err := db.ClusterRanking(head, c.ID)
		if err != nil || len(r.Rows) != 2 || r.Cluster.View != cluster.RelHead {
			t.Fatalf("head: %v %+v", err, r)
		}
		_, err = db.ClusterRanking(head, khoi.ID)
		wantCode(t, err, antq.ENOTFOUND)
		list, _ := db.Clusters(head, 2023)
		if len(list) != 1 || list[0].ID != c.ID {
			t.Fatalf("head's list %+v", list)
		}
		// …but nothing else of those subtrees: the facts of Bù Đăng stay
		// out of its scope.
		_, _, err = db.UnitFacts(head, planID, "25200")
		wantCode(t, err, antq.ENOTFOUND)
		// A member sees its own row and its rank, not the others'.
		for _, ctx := range []context.Context{otherHead, memberEntry} {
			r, err := db.ClusterRanking(ctx, c.ID)
			if err != nil || len(r.Rows) != 1 || r.Rows[0].Unit.Code != "693" || r.Cluster.View != cluster.RelMember {
				t.Fatalf("member: %v %+v", err, r)
			}
			if _, ok := r.Scores["689"]; ok {
				t.Fatal("a member sees another member's scores")
			}
		}
		// A unit that is neither: the cluster does not exist.
		_, err = db.ClusterRanking(commune, c.ID)
		wantCode(t, err, antq.ENOTFOUND)
		// The province sees everything.
		if list, _ := db.Clusters(province, 2023); len(list) != 2 {
			t.Fatalf("province sees %d clusters, want 2", len(list))
		}

		// Scoring: the member scores itself, the head reviews; neither
		// trespasses.
		seven, eight := antq.Tenths(70), antq.Tenths(80)
		if _, err := db.UpdateScores(memberEntry, c.ID, "693", []cluster.ScoreInput{{Criterion: "cd.ke-hoach", Self: &eight, SelfEvidence: strp("KH 05/KH-UBND")}}); err != nil {
			t.Fatal(err)
		}
		_, err = db.UpdateScores(memberEntry, c.ID, "693", []cluster.ScoreInput{{Criterion: "cd.ke-hoach", Reviewed: &eight}})
		wantCode(t, err, antq.EFORBIDDEN)
		_, err = db.UpdateScores(memberEntry, c.ID, "689", []cluster.ScoreInput{{Criterion: "cd.ke-hoach", Self: &eight}})
		wantCode(t, err, antq.ENOTFOUND)
		_, err = db.UpdateScores(head, c.ID, "693", []cluster.ScoreInput{{Criterion: "cd.ke-hoach", Self: &eight}})
		wantCode(t, err, antq.EFORBIDDEN)
		r, err = db.UpdateScores(head, c.ID, "693", []cluster.ScoreInput{{Criterion: "cd.ke-hoach", Reviewed: &seven, ReviewedNote: strp("Kế hoạch ban hành chậm")}})
		if err != nil {
			t.Fatal(err)
		}
		if l := lineOf(t, rowOf(t, r, "693"), "cd.ke-hoach"); l.Points != 70 || l.Basis != "reviewed" {
			t.Fatalf("reviewed line %+v", l)
		}
		// The head does not edit the cluster; the province does.
		_, err = db.UpdateCluster(head, c.ID, cluster.Input{Name: strp("Cụm số 1")})
		wantCode(t, err, antq.EFORBIDDEN)
		refused := 0
		for _, a := range auditRows(t, db, "cluster", "2023/cum-1") {
			if a.Action == "refused" {
				refused++
			}
		}
		if refused != 3 { // the member's review, the head's self-score, the head's edit
			t.Errorf("%d refusals in the audit trail, want 3", refused)
		}
		if _, err := db.UpdateCluster(province, c.ID, cluster.Input{Head: strp("693"), HeadReason: strp("Luân phiên giữa năm theo giao ước")}); err != nil {
			t.Fatal(err)
		}
		// Rotation recorded; the old head's cluster_head no longer heads it.
		got, err := db.Cluster(province, c.ID)
		if err != nil || len(got.Heads) != 2 || got.Head.Code != "693" {
			t.Fatalf("rotation %+v %v", got, err)
		}
		if r, err := db.ClusterRanking(otherHead, c.ID); err != nil || len(r.Rows) != 2 {
			t.Fatalf("new head: %v", err)
		}
		if r, err := db.ClusterRanking(head, c.ID); err != nil || len(r.Rows) != 1 {
			t.Fatalf("old head, now a member: %v %+v", err, r)
		}
	})
}
