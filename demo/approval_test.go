package demo_test

import (
	"context"
	"testing"

	"antq"
	"antq/demo"
	"antq/indicator"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
)

// The demo province stands mid-year: most facts approved, some submitted
// and waiting (propaganda figures of residential areas, registrations of
// organisations), some returned; the figures show official and provisional
// apart, with the pending count, and agree with a rebuild.
func TestLoadApprovalsMidYear(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		if _, err := demo.LoadUnits(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.LoadFacts(ctx, db); err != nil {
			t.Fatal(err)
		}
		res, err := demo.LoadApprovals(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if res.Submitted == 0 || res.Returned == 0 || res.RegistrationsSubmitted == 0 || res.RegistrationsReturned == 0 {
			t.Fatalf("approvals = %+v, want facts of both kinds waiting and returned", res)
		}
		facts, err := db.FactCount(ctx, demo.PlanID)
		if err != nil {
			t.Fatal(err)
		}
		if 10*(res.Submitted+res.Returned) > facts {
			t.Fatalf("%d of %d facts not approved: most should be", res.Submitted+res.Returned, facts)
		}
		_, waiting, err := db.PendingFacts(ctx, demo.PlanID, "", 0, 1)
		if err != nil || waiting != res.Submitted {
			t.Fatalf("inbox holds %d, %v; want %d", waiting, err, res.Submitted)
		}
		rep, err := db.Indicators(ctx, demo.PlanID, "")
		if err != nil {
			t.Fatal(err)
		}
		var reg, hh *indicator.Figure
		for i, f := range rep.Unit.Figures {
			switch f.ID {
			case rules.IndicatorRegistration:
				reg = &rep.Unit.Figures[i]
			case rules.IndicatorPropagandaHouseholds:
				hh = &rep.Unit.Figures[i]
			}
		}
		if reg == nil || hh == nil {
			t.Fatal("no registration or household figure")
		}
		// Returned registrations count in neither figure, submitted ones
		// only in the provisional one.
		if reg.Provisional.Num-reg.Num != int64(res.RegistrationsSubmitted) || reg.Pending != int64(res.RegistrationsSubmitted) {
			t.Fatalf("registration official %d, provisional %d, pending %d; want %d apart", reg.Num, reg.Provisional.Num, reg.Pending, res.RegistrationsSubmitted)
		}
		if hh.Pending == 0 || hh.Pooled == nil || hh.Provisional.Pooled == nil || hh.Provisional.Pooled.Reached <= hh.Pooled.Reached {
			t.Fatalf("household figure %+v: want areas waiting, provisional households above official", hh)
		}
		before, err := db.IndicatorState(ctx, demo.PlanID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Rebuild(ctx, demo.PlanID); err != nil {
			t.Fatal(err)
		}
		if after, _ := db.IndicatorState(ctx, demo.PlanID); after != before {
			t.Fatal("the demo's maintained figures differ from a rebuild")
		}
	})
}
