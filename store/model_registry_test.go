package store_test

import (
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// The registry of models lists the models of the subtree only, units in
// name order and models by number, with their unit.
func TestModelRegistry(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		add := func(code, name string) int64 {
			t.Helper()
			m, err := db.CreateModel(sys, planID, code, antq.ModelInput{Name: &name, Kind: ptr("tu_quan"), Status: ptr(antq.ModelMaintained)})
			if err != nil {
				t.Fatal(err)
			}
			return m.ID
		}
		a2 := add("25195-KDC02", "Tổ tự quản 2")
		a1 := add("25195-KDC01", "Tổ tự quản 1")
		a1b := add("25195-KDC01", "Camera khu phố 1")
		add("25200-KDC01", "Ngoài phạm vi")
		var got []string
		var ids []int64
		err := db.ModelRegistry(sys, planID, "25195", func(r store.ModelRow) error {
			got = append(got, r.Unit.Code+": "+r.Model.Name)
			ids = append(ids, r.Model.ID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"25195-KDC01: Tổ tự quản 1", "25195-KDC01: Camera khu phố 1", "25195-KDC02: Tổ tự quản 2"}
		if len(got) != len(want) || ids[0] != a1 || ids[1] != a1b || ids[2] != a2 {
			t.Fatalf("registry = %q (%v), want %q", got, ids, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("registry = %q, want %q", got, want)
			}
		}
		// A caller outside the unit's scope does not see it.
		other := asUser(t, db, "xa2", antq.RoleViewer, "25200")
		if err := db.ModelRegistry(other, planID, "25195", func(store.ModelRow) error { return nil }); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("registry of another commune = %v, want not found", err)
		}
	})
}
