package antq

import "testing"

// Percentages have one decimal; halves round up, as a spreadsheet rounds
// them, whether the figure is a count or a share.
func TestFormatPercentRoundsHalvesUp(t *testing.T) {
	for _, c := range []struct {
		num, den int64
		want     string
	}{
		{5, 16, "31,3\u00a0%"}, {1, 16, "6,3\u00a0%"}, {1, 8, "12,5\u00a0%"}, {1, 3, "33,3\u00a0%"}, {2, 3, "66,7\u00a0%"},
		{77, 100, "77,0\u00a0%"}, {0, 5, "0,0\u00a0%"}, {5, 5, "100,0\u00a0%"}, {1, 2000, "0,1\u00a0%"}, {1, 2001, "0,0\u00a0%"}, {3, 0, "—"},
	} {
		if got := FormatPercent(c.num, c.den); got != c.want {
			t.Errorf("FormatPercent(%d, %d) = %q, want %q", c.num, c.den, got, c.want)
		}
		if c.den != 0 {
			if got := FormatShare(float64(c.num) / float64(c.den)); got != c.want {
				t.Errorf("FormatShare(%d/%d) = %q, want %q", c.num, c.den, got, c.want)
			}
		}
	}
}
