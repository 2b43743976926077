package store_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// lastChange is the id of the newest audit record of a fact key.
func lastChange(t *testing.T, db *store.DB, entity, key string) int64 {
	t.Helper()
	recs := auditRows(t, db, entity, key)
	if len(recs) == 0 {
		t.Fatalf("no audit record of %s %s", entity, key)
	}
	newest := recs[0]
	for _, r := range recs {
		if r.ID > newest.ID {
			newest = r
		}
	}
	return newest.ID
}

func unitFacts(t *testing.T, db *store.DB, ctx context.Context, code string) *antq.UnitFacts {
	t.Helper()
	_, f, err := db.UnitFacts(ctx, planID, code)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestUndoFromHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		key := planID + "/25195"

		// Registration: created, moved to another day, withdrawn.
		if _, err := db.PutRegistration(sys, planID, "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutRegistration(sys, planID, "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-03-05"),
			Document: &antq.DocumentRef{Number: "7/ĐK", Date: antq.MustDate("2023-03-05")}}); err != nil {
			t.Fatal(err)
		}
		update := lastChange(t, db, "registration", key)
		if err := db.DeleteRegistration(sys, planID, "25195"); err != nil {
			t.Fatal(err)
		}
		deletion := lastChange(t, db, "registration", key)
		// Only the newest change can be undone: the update is no longer it.
		_, err := db.Undo(sys, planID, "25195", update)
		wantCode(t, err, antq.ECONFLICT)
		if kind, err := db.Undo(sys, planID, "25195", deletion); err != nil || kind != antq.FactRegistration {
			t.Fatalf("undo the withdrawal = %q, %v", kind, err)
		}
		r := unitFacts(t, db, sys, "25195").Registration
		if r == nil || r.RegisteredOn != antq.MustDate("2023-03-05") || r.Document == nil || r.Document.Number != "7/ĐK" {
			t.Fatalf("restored registration = %+v", r)
		}
		recs := auditRows(t, db, "registration", key)
		restore := recs[0]
		for _, rec := range recs {
			if rec.ID > restore.ID {
				restore = rec
			}
		}
		if restore.Action != "create" || restore.Reason != "hoàn tác việc xóa" {
			t.Fatalf("the undo's trail = %s %q", restore.Action, restore.Reason)
		}
		// Undone twice: the first undo is now the newest change.
		_, err = db.Undo(sys, planID, "25195", deletion)
		wantCode(t, err, antq.ECONFLICT)
		// Undoing the undo (a creation) withdraws it again.
		if _, err := db.Undo(sys, planID, "25195", restore.ID); err != nil {
			t.Fatal(err)
		}
		if r := unitFacts(t, db, sys, "25195").Registration; r != nil {
			t.Fatalf("registration after undoing its restoration = %+v", r)
		}

		// Propaganda: an update takes the earlier figure back, indicators with it.
		if _, err := db.PutPropaganda(sys, planID, "25195-KDC01", antq.PropagandaInput{Reached: ptr[int64](300), AsOf: antq.MustDate("2023-06-30")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutPropaganda(sys, planID, "25195-KDC01", antq.PropagandaInput{Reached: ptr[int64](390), AsOf: antq.MustDate("2023-09-30")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Undo(sys, planID, "25195-KDC01", lastChange(t, db, "propaganda", planID+"/25195-KDC01")); err != nil {
			t.Fatal(err)
		}
		if p := unitFacts(t, db, sys, "25195-KDC01").Propaganda; p == nil || p.Reached != 300 || p.Total != 400 || p.AsOf != antq.MustDate("2023-06-30") {
			t.Fatalf("propaganda after undoing the update = %+v", p)
		}

		// A model deleted with its evidence comes back under its id, the
		// evidence attached again.
		m, err := db.CreateModel(sys, planID, "25195", antq.ModelInput{Name: ptr("Camera an ninh"), Kind: ptr("tu_bao_ve"),
			Status: ptr(antq.ModelNew), StartedOn: ptr(antq.MustDate("2023-04-01")), Members: ptr[int64](12)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddEvidence(sys, planID, "25195", store.EvidenceInput{Fact: antq.FactModel, FactID: m.ID, Filename: "bien-ban.pdf", Body: bytes.NewReader(pdf)}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteModel(sys, planID, "25195", m.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Undo(sys, planID, "25195", lastChange(t, db, "model", key+"/"+strconv.FormatInt(m.ID, 10))); err != nil {
			t.Fatal(err)
		}
		f := unitFacts(t, db, sys, "25195")
		if len(f.Models) != 1 || f.Models[0].ID != m.ID || f.Models[0].Name != "Camera an ninh" || f.Models[0].Members != 12 || f.Models[0].StartedOn != antq.MustDate("2023-04-01") {
			t.Fatalf("restored models = %+v", f.Models)
		}
		attached := 0
		for _, ev := range f.Evidence {
			if ev.Fact == antq.FactModel && ev.FactID == m.ID {
				attached++
			}
		}
		if attached != 1 {
			t.Fatalf("evidence of the restored model = %d of %+v", attached, f.Evidence)
		}

		// An incident likewise.
		inc, err := db.CreateIncident(sys, planID, "25195-KDC01", antq.IncidentInput{OccurredOn: antq.MustDate("2023-05-02"),
			Category: "veto.e", Description: "Tranh chấp đất đai kéo dài", Verified: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteIncident(sys, planID, "25195-KDC01", inc.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Undo(sys, planID, "25195-KDC01", lastChange(t, db, "incident", planID+"/25195-KDC01/"+strconv.FormatInt(inc.ID, 10))); err != nil {
			t.Fatal(err)
		}
		if incs := unitFacts(t, db, sys, "25195-KDC01").Incidents; len(incs) != 1 || incs[0].ID != inc.ID || incs[0].Description != "Tranh chấp đất đai kéo dài" {
			t.Fatalf("restored incidents = %+v", incs)
		}

		// Decisions are not undone; another unit's change is not in this
		// unit's history; an unknown change is not found.
		if _, err := db.PutRegistration(sys, planID, "25200", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
			t.Fatal(err)
		}
		other := lastChange(t, db, "registration", planID+"/25200")
		_, err = db.Undo(sys, planID, "25195", other)
		wantCode(t, err, antq.ENOTFOUND)
		_, err = db.Undo(sys, planID, "25195", other+1_000_000)
		wantCode(t, err, antq.ENOTFOUND)
		if _, err := db.PutRegistration(sys, planID, "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutRecognition(sys, planID, "25195", antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-12-10"),
			Decision: &antq.DocumentRef{Number: "12/QĐ-UBND", Date: antq.MustDate("2023-12-10"), Issuer: "UBND phường"}}); err != nil {
			t.Fatal(err)
		}
		_, err = db.Undo(sys, planID, "25195", lastChange(t, db, "recognition", key))
		wantCode(t, err, antq.ECONFLICT)

		// A data-entry user's draft: undone while it is the newest change;
		// once submitted, the submission is the newest and the undo refused.
		entry := asUser(t, db, "nhaplieu", antq.RoleDataEntry, "25200-KDC01")
		if _, err := db.PutRegistration(entry, planID, "25200-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Undo(entry, planID, "25200-KDC01", lastChange(t, db, "registration", planID+"/25200-KDC01")); err != nil {
			t.Fatal(err)
		}
		if r := unitFacts(t, db, sys, "25200-KDC01").Registration; r != nil {
			t.Fatalf("registration after its creation was undone = %+v", r)
		}
		if _, err := db.PutPropaganda(entry, planID, "25200-KDC01", antq.PropagandaInput{Reached: ptr[int64](500), AsOf: antq.MustDate("2023-06-30"),
			Document: &antq.DocumentRef{Number: "3/BC", Date: antq.MustDate("2023-06-30")}}); err != nil {
			t.Fatal(err)
		}
		created := lastChange(t, db, "propaganda", planID+"/25200-KDC01")
		if _, err := db.StepFact(entry, planID, "25200-KDC01", antq.FactPropaganda, 0, antq.ApprovalSubmit, ""); err != nil {
			t.Fatal(err)
		}
		_, err = db.Undo(entry, planID, "25200-KDC01", created)
		wantCode(t, err, antq.ECONFLICT)
		if p := unitFacts(t, db, sys, "25200-KDC01").Propaganda; p == nil || p.Reached != 500 {
			t.Fatalf("submitted propaganda after a refused undo = %+v", p)
		}
		// Out of the user's scope: the unit is not found.
		_, err = db.Undo(entry, planID, "25195", restore.ID)
		wantCode(t, err, antq.ENOTFOUND)
	})
}
