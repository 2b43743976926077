package web

import (
	"testing"

	"antq"
	"antq/store"
)

// TestUndoableRows: the history offers to undo only each fact's newest
// change, of a kind data entry records, and not while the fact waits for
// approval or is approved.
func TestUndoableRows(t *testing.T) {
	history := []store.AuditRecord{
		{ID: 9, Action: "update", Entity: "propaganda", Key: "p/u"},
		{ID: 8, Action: "create", Entity: "propaganda", Key: "p/u"},      // not the newest
		{ID: 7, Action: "delete", Entity: "model", Key: "p/u/41"},        // newest; deleted, so no state
		{ID: 6, Action: "create", Entity: "model", Key: "p/u/40"},        // newest, but submitted
		{ID: 5, Action: "create", Entity: "registration", Key: "p/u"},    // newest, approved
		{ID: 4, Action: "update", Entity: "recognition", Key: "p/u"},     // a decision
		{ID: 3, Action: "submit", Entity: "incident", Key: "p/u/12"},     // an approval step
		{ID: 2, Action: "create", Entity: "incident", Key: "other/u/13"}, // another plan's
	}
	versions := map[string]string{"propaganda": "v9", "model/41": "v7", "model/40": "v6", "registration": "v5",
		"recognition": "v4", "incident/12": "v3", "incident/13": "v1"}
	facts := &antq.UnitFacts{
		Propaganda:   &antq.Propaganda{Approval: antq.Approval{State: antq.FactReturned}},
		Registration: &antq.Registration{Approval: antq.Approval{State: antq.FactApproved}},
		Models:       []*antq.Model{{ID: 40, Approval: antq.Approval{State: antq.FactSubmitted}}},
	}
	got := undoable(history, versions, facts)
	want := map[int64]bool{9: true, 7: true}
	if len(got) != len(want) || !got[9] || !got[7] {
		t.Fatalf("undoable = %v, want %v", got, want)
	}
}
