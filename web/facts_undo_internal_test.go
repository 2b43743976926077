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

// TestAuditChange: a history line says what changed, in words and the
// page's formats, never a raw code.
func TestAuditChange(t *testing.T) {
	str := func(s string) *string { return &s }
	for _, tt := range []struct {
		rec  store.AuditRecord
		want string
	}{
		{store.AuditRecord{Action: "update", Entity: "propaganda", Old: str(`{"reached":350,"total":1200,"as_of":"2023-10-31"}`),
			New: str(`{"reached":300,"total":1200,"as_of":"2023-09-30"}`)}, "số đã tuyên truyền 350 → 300; tính đến ngày 31/10/2023 → 30/09/2023"},
		{store.AuditRecord{Action: "delete", Entity: "model", Old: str(`{"name":"Tổ tự quản","status":"new"}`)}, "“Tổ tự quản”"},
		{store.AuditRecord{Action: "update", Entity: "model", Old: str(`{"name":"A","status":"new","effective":false}`),
			New: str(`{"name":"A","status":"maintained","effective":true}`)}, "tình trạng xây dựng mới → duy trì; hiệu quả không → có"},
		{store.AuditRecord{Action: "update", Entity: "grade", Old: str(`{"grade":"kha"}`), New: str(`{"grade":"xuat_sac"}`)}, "xếp loại Khá → Xuất sắc"},
		{store.AuditRecord{Action: "update", Entity: "user", Old: str(`{"name":"x"}`), New: str(`{"name":"y"}`)}, ""},
		{store.AuditRecord{Action: "create", Entity: "registration", New: str(`{"registered_on":"2023-02-01"}`)}, ""},
	} {
		if got := auditChange(tt.rec); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.rec.Action, tt.rec.Entity, got, tt.want)
		}
	}
}
