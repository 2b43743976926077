package web

import (
	"slices"
	"testing"
)

// pagedRows reads the pages after the first from the rows emitted so far,
// stops at a short page or at the total, and numbers the rows from 1.
func TestPagedRows(t *testing.T) {
	page := func(from, n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = from + i
		}
		return out
	}
	for _, tc := range []struct {
		name        string
		total       int
		pages       [][]int // the pages after the first
		wantOffsets []int
		wantRows    int
	}{
		{"short second page", 2500, [][]int{page(1000, exportPage), page(2000, 500)}, []int{1000, 2000}, 2500},
		{"total reached on a full page", exportPage, nil, nil, exportPage},
		{"empty page ends", 3000, [][]int{{}}, []int{1000}, exportPage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var offsets []int
			n := 0
			err := pagedRows(page(0, exportPage), tc.total, func(offset int) ([]int, error) {
				offsets = append(offsets, offset)
				p := tc.pages[0]
				tc.pages = tc.pages[1:]
				return p, nil
			}, func(i, row int) error {
				n++
				if i != n || row != n-1 {
					t.Fatalf("row %d numbered %d, want %d", row, i, n)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(offsets, tc.wantOffsets) || n != tc.wantRows {
				t.Errorf("offsets %v, rows %d; want %v, %d", offsets, n, tc.wantOffsets, tc.wantRows)
			}
		})
	}
}
