package rules

import (
	"fmt"
	"time"

	"antq"
)

// parseDate reads a YYYY-MM-DD calendar date for the loader. It is stricter
// than antq.ParseDate and says what is wrong (the shape, the month or the
// day), which the rule files' errors report with their position.
func parseDate(s string) (antq.Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !antq.AllDigits(s[:4]) || !antq.AllDigits(s[5:7]) || !antq.AllDigits(s[8:]) {
		return antq.Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	y, m, d := atoi(s[:4]), atoi(s[5:7]), atoi(s[8:])
	if m < 1 || m > 12 {
		return antq.Date{}, fmt.Errorf("invalid date %q: month %d out of range", s, m)
	}
	if d < 1 || d > daysIn(y, time.Month(m)) {
		return antq.Date{}, fmt.Errorf("invalid date %q: day %d out of range for %04d-%02d", s, d, y, m)
	}
	return antq.NewDate(y, time.Month(m), d), nil
}

// Period is a closed interval of dates [From, To].
type Period struct {
	From antq.Date `json:"from" rules:"required"`
	To   antq.Date `json:"to" rules:"required"`
}

// Contains reports whether From ≤ d ≤ To.
func (p Period) Contains(d antq.Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// RelDate is a day of the year relative to an evaluation (or plan) year:
// {"year_offset": -1, "month": 11, "day": 16} is 16/11 of the year before.
// February 29 is not allowed, so that every year has the day.
type RelDate struct {
	YearOffset int `json:"year_offset" rules:"required"`
	Month      int `json:"month" rules:"required"`
	Day        int `json:"day" rules:"required"`
}

// On returns the date for the given year.
func (r RelDate) On(year int) antq.Date {
	return antq.NewDate(year+r.YearOffset, time.Month(r.Month), r.Day)
}

// check returns why r is not a day of every year, or "".
func (r RelDate) check() string {
	switch {
	case r.Month < 1 || r.Month > 12:
		return fmt.Sprintf("month %d out of range 1–12", r.Month)
	case r.Month == 2 && r.Day == 29:
		return "29 February does not exist every year"
	case r.Day < 1 || r.Day > daysIn(2023, time.Month(r.Month)):
		return fmt.Sprintf("day %d out of range for month %d", r.Day, r.Month)
	}
	return ""
}

// String renders r as dd/mm with the year offset, e.g. "16/11 (năm trước)".
func (r RelDate) String() string {
	s := fmt.Sprintf("%02d/%02d", r.Day, r.Month)
	switch {
	case r.YearOffset == -1:
		s += " (năm trước)"
	case r.YearOffset == 1:
		s += " (năm sau)"
	case r.YearOffset != 0:
		s += fmt.Sprintf(" (năm %+d)", r.YearOffset)
	}
	return s
}

// describe renders r for error messages: "31/10 of the year before".
func (r RelDate) describe() string {
	s := fmt.Sprintf("%02d/%02d", r.Day, r.Month)
	switch r.YearOffset {
	case 0:
		return s + " of the year"
	case -1:
		return s + " of the year before"
	case 1:
		return s + " of the year after"
	}
	return fmt.Sprintf("%s of the year %+d", s, r.YearOffset)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// atoi converts a string of ASCII digits (checked by the caller).
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// Timing is when a fact was done against a quarter's deadline.
type Timing string

const (
	TimingOnTime Timing = "on_time" // in the quarter, by its deadline
	TimingEarly  Timing = "early"   // before the quarter began
	TimingLate   Timing = "late"    // after the deadline
)

// QuarterTiming places d against the quarter that ends with due (Quý I for
// the deadline 31/03): on time from the quarter's first day to due, early
// before it, late after due. "Trong Quý I" is the quarter, not "by 31/03":
// a registration of 05/11 of the year before is not a first-quarter one.
func QuarterTiming(d, due antq.Date) Timing {
	first := antq.NewDate(due.Year(), time.Month((int(due.Month())-1)/3*3+1), 1)
	switch {
	case d.Before(first):
		return TimingEarly
	case d.After(due):
		return TimingLate
	}
	return TimingOnTime
}
