package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
)

// A model of today's unit continues a model its predecessors ran before the
// reorganisation: the account of today's unit, whose scope lacks the
// predecessors, is offered their models and may continue one; a model of a
// unit it did not come from is refused, with a reason that says what may be
// continued.
func TestModelContinuesAPredecessorsModel(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := antq.SystemContext(context.Background())
		if _, err := demo.LoadUnits(sys, db); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.LoadFacts(sys, db); err != nil {
			t.Fatal(err)
		}
		if _, err := reorganiseText(sys, db, "restate.csv", restateFile); err != nil {
			t.Fatal(err)
		}
		storetest.Clock(db).Set(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
		if _, err := db.LoadPlan(sys, "dong-nai-2026.json", demo.TodayPlan()); err != nil {
			t.Fatal(err)
		}
		plan := demo.TodayPlanID
		entry := actingAs(mustUser(t, db, "phuongmot", antq.RoleDataEntry, "T1"), "10.0.0.9")

		// T1 came from 25207 and 25210 (and was renamed since): their 2023
		// models are offered, and only theirs.
		before, err := db.PredecessorModels(entry, plan, "T1")
		if err != nil {
			t.Fatal(err)
		}
		var mine *store.RegistryEntry
		for _, e := range before {
			if e.UnitCode != "25207" && e.UnitCode != "25210" {
				t.Errorf("a model of %s offered to T1", e.UnitCode)
			}
			if mine == nil && e.UnitCode == "25210" {
				mine = e
			}
		}
		if mine == nil {
			t.Fatalf("no 2023 model of 25210 offered to T1: %+v", before)
		}
		others, err := db.PredecessorModels(sys, plan, "T2")
		if err != nil {
			t.Fatal(err)
		}
		var foreign int64
		for _, e := range others {
			if e.UnitCode == "25195" {
				foreign = e.ID
			}
		}
		if foreign == 0 {
			t.Fatal("no 2023 model of 25195 (T2's predecessor) to try")
		}

		in := func(continues int64) antq.ModelInput {
			return antq.ModelInput{Name: ptr(mine.Name), Kind: ptr(mine.Kind), Status: ptr(antq.ModelConsolidated),
				StartedOn: ptr(antq.MustDate("2026-01-15")), Members: ptr[int64](12), Continues: ptr(continues)}
		}
		_, err = db.CreateModel(entry, plan, "T1", in(foreign))
		wantInvalid(t, err, "continues")
		if msg := antq.ErrorFields(err)["continues"]; !strings.Contains(msg, "đơn vị tiền thân") {
			t.Errorf("refusal = %q", msg)
		}
		m, err := db.CreateModel(entry, plan, "T1", in(mine.ID))
		if err != nil {
			t.Fatalf("continuing a predecessor's model: %v", err)
		}
		if m.Identity != mine.ID {
			t.Fatalf("the model's identity is %d, want the predecessor's %d", m.Identity, mine.ID)
		}
	})
}
