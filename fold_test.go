package antq_test

import (
	"bytes"
	"slices"
	"testing"

	"antq"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Thành phố Đồng Xoài", "thanh pho dong xoai"},
		{"ĐỒNG XOÀI", "dong xoai"},
		{"  dong   xoai ", "dong xoai"},
		{"Xã Đắk Ơ", "xa dak o"},
		{"Phường Thủy Xuân", "phuong thuy xuan"},
		{"Hoà vs Hòa", "hoa vs hoa"}, // tone-mark placement does not matter
	}
	for _, tt := range tests {
		if got := antq.Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSortKeyVietnameseOrder(t *testing.T) {
	// The Vietnamese alphabet: a ă â b c d đ e ê … o ô ơ … u ư.
	want := []string{"An Lộc", "Ăn", "Ấp 1", "Bù Đăng", "Dầu Tiếng", "Đồng Xoài", "Ơn", "Uyên", "Ưng"}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, func(a, b string) int { return bytes.Compare(antq.SortKey(a), antq.SortKey(b)) })
	if !slices.Equal(got, want) {
		t.Fatalf("sorted by key = %q, want %q", got, want)
	}
	// A plain byte order gets Đ wrong (it sorts after every ASCII letter).
	plain := slices.Clone(want)
	slices.Sort(plain)
	if slices.Equal(plain, want) {
		t.Fatal("test data does not distinguish Vietnamese collation from byte order")
	}
}

// Issue 16 item 11: numbers inside names order by value (Khu phố 2 before
// Khu phố 10), with the Vietnamese letter order kept around them.
func TestSortKeyNaturalNumbers(t *testing.T) {
	want := []string{"Ấp 1", "Ấp 2", "Ấp 10", "Khu phố 2", "Khu phố 3", "Khu phố 10", "Khu phố 10A", "Khu phố 11", "Tổ 9", "Tổ 100"}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, func(a, b string) int { return bytes.Compare(antq.SortKey(a), antq.SortKey(b)) })
	if !slices.Equal(got, want) {
		t.Fatalf("sorted by key = %q, want %q", got, want)
	}
	for i := 1; i < len(want); i++ {
		if antq.CompareVietnamese(want[i-1], want[i]) >= 0 {
			t.Fatalf("CompareVietnamese(%q, %q) >= 0", want[i-1], want[i])
		}
	}
}
