package store_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// loadNextYear loads a copy of the Bình Phước plan for 2024 (its own facts,
// the same tree): a second plan year for the registry.
func loadNextYear(t *testing.T, ctx context.Context, db *store.DB) string {
	t.Helper()
	body, err := os.ReadFile("../rules/data/plans/binh-phuoc-2023.json")
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	p["id"], p["year"] = "binh-phuoc-2024", 2024
	p["window"] = map[string]string{"from": "2024-01-01", "to": "2024-12-31"}
	delete(p, "tree_dates")
	out, _ := json.Marshal(p)
	if _, err := db.LoadPlan(ctx, "binh-phuoc-2024.json", out); err != nil {
		t.Fatal(err)
	}
	return "binh-phuoc-2024"
}

// The registry keeps one model across the plan years, lists its
// replications and counts them up the tree; the plan's registry figure (KH
// 31's existing commune models consolidated and effective) is computed
// from it; a unit outside the reader's scope is not found; bad links are
// refused in Vietnamese, nothing written.
func TestModelRegistryAcrossYears(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		next := loadNextYear(t, sys, db)
		assessed := &antq.ModelAssessment{On: antq.MustDate("2023-10-20"), By: "Công an xã", Basis: "Biên bản kiểm tra"}
		add := func(plan, code, name string, status antq.ModelStatus, effective bool, in antq.ModelInput) *antq.Model {
			t.Helper()
			in.Name, in.Kind, in.Status = &name, ptr("tu_quan"), &status
			if effective {
				a := *assessed
				if plan == next {
					a.On = antq.MustDate("2024-02-20")
				}
				in.Effective, in.Assessment = ptr(true), &a
			}
			m, err := db.CreateModel(sys, plan, code, in)
			if err != nil {
				t.Fatalf("%s %s %s: %v", plan, code, name, err)
			}
			return m
		}
		// 2023: the commune's model, two of its residential areas', one
		// in the other district.
		origin := add(planID, "25195", "Tổ tự quản phường", antq.ModelNew, true, antq.ModelInput{})
		kdc1 := add(planID, "25195-KDC01", "Tổ tự quản khu phố 1", antq.ModelNew, false, antq.ModelInput{Replicates: &origin.Identity})
		kdc2 := add(planID, "25195-KDC02", "Tổ tự quản khu phố 2", antq.ModelNew, false, antq.ModelInput{})
		far := add(planID, "25200-KDC01", "Tổ tự quản ấp 1", antq.ModelNew, false, antq.ModelInput{Replicates: &origin.Identity})
		// kdc2 replicates kdc1 (a replication of a replication).
		if _, err := db.UpdateModel(sys, planID, "25195-KDC02", kdc2.ID, antq.ModelInput{Replicates: &kdc1.Identity}); err != nil {
			t.Fatal(err)
		}
		// 2024: the commune's model again (same unit, kind and name: the
		// same entry), consolidated and effective; the other commune's
		// model continues by choice under another name, maintained, not
		// assessed; a new one of the commune.
		again := add(next, "25195", "Tổ tự quản phường", antq.ModelConsolidated, true, antq.ModelInput{})
		cont := add(next, "25200-KDC01", "Tổ tự quản ấp 1 (kiện toàn)", antq.ModelMaintained, false, antq.ModelInput{Continues: &far.Identity})
		fresh := add(next, "25200", "Camera an ninh xã", antq.ModelNew, false, antq.ModelInput{})
		guard := add(next, "25200", "Đội dân phòng xã", antq.ModelConsolidated, false, antq.ModelInput{})
		if again.Identity != origin.Identity || cont.Identity != far.Identity {
			t.Fatalf("identities across years: %d/%d, %d/%d", again.Identity, origin.Identity, cont.Identity, far.Identity)
		}
		if fresh.Identity == 0 || fresh.Identity == origin.Identity {
			t.Fatalf("a new model's identity = %d", fresh.Identity)
		}

		// Bad input, in Vietnamese, nothing written.
		bad := []struct {
			in    antq.ModelInput
			field string
		}{
			{antq.ModelInput{Replicates: ptr(int64(999999))}, "replicates"},
			{antq.ModelInput{Replicates: &kdc2.Identity}, "replicates"}, // a circle: kdc2 replicates kdc1 replicates origin
			{antq.ModelInput{Replicates: &origin.Identity}, "replicates"},
		}
		for i, b := range bad {
			if _, err := db.UpdateModel(sys, planID, "25195", origin.ID, b.in); err == nil {
				t.Fatalf("bad link %d accepted", i)
			} else {
				wantInvalid(t, err, b.field)
			}
		}
		_, err := db.CreateModel(sys, next, "25195-KDC01", antq.ModelInput{Name: ptr("Tổ tự quản khu phố 1"), Kind: ptr("tu_quan"),
			Status: ptr(antq.ModelNew), Continues: &kdc1.Identity})
		wantInvalid(t, err, "status")
		_, err = db.CreateModel(sys, next, "25195", antq.ModelInput{Name: ptr("Khác"), Kind: ptr("tu_quan"),
			Status: ptr(antq.ModelConsolidated), Continues: &origin.Identity})
		wantInvalid(t, err, "continues")

		v, err := db.ModelRegistryOf(sys, next, "")
		if err != nil {
			t.Fatal(err)
		}
		byID := map[int64]*store.RegistryEntry{}
		for _, e := range v.Entries {
			byID[e.ID] = e
		}
		o := byID[origin.Identity]
		if o == nil || len(o.Years) != 2 || o.Years[0].Year != 2023 || o.Years[1].Year != 2024 ||
			o.Years[0].Status != antq.ModelNew || o.Years[1].Status != antq.ModelConsolidated {
			t.Fatalf("origin's years = %+v", o)
		}
		if f := byID[far.Identity]; f == nil || f.Name != "Tổ tự quản ấp 1 (kiện toàn)" || len(f.Years) != 2 || f.Replicates == nil || f.Replicates.ID != origin.Identity {
			t.Fatalf("continued model = %+v", f)
		}
		if len(o.Replications) != 2 {
			t.Fatalf("origin's replications = %+v, want kdc1 and far", o.Replications)
		}
		// The counts, computed independently: replications of the models
		// under each unit, by any unit.
		replicatedBy := map[int64][]int64{origin.Identity: {kdc1.Identity, far.Identity}, kdc1.Identity: {kdc2.Identity}}
		unitOf := map[int64]string{origin.Identity: "25195", kdc1.Identity: "25195-KDC01", kdc2.Identity: "25195-KDC02", far.Identity: "25200-KDC01", fresh.Identity: "25200", guard.Identity: "25200"}
		district := map[string]string{"25195": "689", "25195-KDC01": "689", "25195-KDC02": "689", "25200-KDC01": "693", "25200": "693"}
		want := map[string][3]int{} // code → models, replications, replicating
		for id, code := range unitOf {
			for _, c := range []string{"70", district[code]} {
				w := want[c]
				w[0]++
				w[1] += len(replicatedBy[id])
				if id == kdc1.Identity || id == kdc2.Identity || id == far.Identity {
					w[2]++
				}
				want[c] = w
			}
		}
		if len(v.Counts) != 5 || v.Counts[0].UnitCode != "70" { // the province, then its two districts and two agencies
			t.Fatalf("counts = %+v", v.Counts)
		}
		for _, c := range v.Counts {
			if w := want[c.UnitCode]; [3]int{c.Models, c.Replications, c.Replicating} != w {
				t.Errorf("counts of %s = %d/%d/%d, want %v", c.UnitCode, c.Models, c.Replications, c.Replicating, w)
			}
		}
		// Communes' existing models in 2024: the commune's consolidated
		// and effective one, and the other commune's consolidated one not
		// assessed (the residential area's is not a commune's, the new one
		// not existing): 1 of 2, not met.
		if len(v.Figures) != 1 || v.Figures[0].ID != "xa_cung_co_mo_hinh_hien_co" {
			t.Fatalf("figures = %+v", v.Figures)
		}
		if f := v.Figures[0]; f.Existing != 2 || f.Counted != 1 || f.Met || f.ProvisionalExisting != 2 {
			t.Fatalf("figure = %+v, want 1 of 2, not met", f)
		}
		// Scope: the other commune's reader sees neither the commune nor
		// its model; its own registry names the replicated model.
		other := asUser(t, db, "xa2", antq.RoleViewer, "25200")
		if _, err := db.ModelRegistryOf(other, next, "25195"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("registry of another commune = %v, want not found", err)
		}
		if _, err := db.ModelEntry(other, next, origin.Identity); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("model of another commune = %v, want not found", err)
		}
		e, err := db.ModelEntry(other, next, far.Identity)
		if err != nil {
			t.Fatal(err)
		}
		if e.Replicates == nil || e.Replicates.Name != "Tổ tự quản phường" || e.Replicates.InScope {
			t.Fatalf("replicated model seen from the other commune = %+v", e.Replicates)
		}
		// A model cannot take up one that started after it.
		late := add(planID, "25200", "Camera an ninh xã", antq.ModelNew, false, antq.ModelInput{StartedOn: ptr(antq.MustDate("2023-03-01"))})
		early := add(planID, "25200", "Đội tuần tra xã", antq.ModelConsolidated, false, antq.ModelInput{StartedOn: ptr(antq.MustDate("2015-03-01"))})
		_, err = db.UpdateModel(sys, planID, "25200", early.ID, antq.ModelInput{Replicates: &late.Identity})
		wantInvalid(t, err, "replicates")
		if msg := antq.ErrorFields(err)["replicates"]; !strings.Contains(msg, "01/03/2015") || !strings.Contains(msg, "01/03/2023") {
			t.Errorf("the refusal = %q", msg)
		}
	})
}
