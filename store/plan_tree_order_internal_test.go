package store

import "testing"

// numberTree numbers a tree in pre-order, gives the same tree the same
// hash and a changed one another, and refuses a cycle.
func TestNumberTree(t *testing.T) {
	ids := []int64{10, 3, 7, 5, 9}
	parents := []int64{0, 10, 10, 3, 3}
	o, ok := numberParents(ids, parents)
	if !ok {
		t.Fatal("not a tree")
	}
	// pre-order, children in the order given: 10, 3, 5, 9, 7
	want := map[int64][2]int64{10: {0, 4}, 3: {1, 3}, 5: {2, 2}, 9: {3, 3}, 7: {4, 4}}
	for i, id := range o.ids {
		if got := [2]int64{o.pre[i], o.end[i]}; got != want[id] {
			t.Errorf("unit %d: %v, want %v", id, got, want[id])
		}
	}
	r, _ := numberParents(ids, parents)
	if r.hash != o.hash {
		t.Error("the same tree hashed differently")
	}
	if c, _ := numberParents(ids, []int64{0, 10, 10, 3, 7}); c.hash == o.hash {
		t.Error("a moved unit kept the hash")
	}
	if _, ok := numberParents([]int64{1, 2, 3}, []int64{0, 3, 2}); ok {
		t.Error("a cycle numbered")
	}
}

func BenchmarkNumberTree(b *testing.B) {
	n := 600000
	ids := make([]int64, n)
	parents := make([]int64, n)
	for i := range ids {
		ids[i] = int64(i + 1)
		if i > 0 {
			parents[i] = int64(i/30 + 1)
		}
	}
	children := make([][]int32, n)
	for i := 1; i < n; i++ {
		children[i/30] = append(children[i/30], int32(i))
	}
	for b.Loop() {
		numberTree(ids, children, []int32{0})
	}
}
