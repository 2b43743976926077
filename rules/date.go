package rules

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a civil date (no time of day, no zone), written YYYY-MM-DD in the
// files. The zero Date means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns y-m-d; the caller guarantees it is a real calendar date.
func NewDate(y int, m time.Month, d int) Date { return Date{y, m, d} }

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date { return NewDate(t.Date()) }

// ParseDate parses a YYYY-MM-DD calendar date.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s[:4]) || !digits(s[5:7]) || !digits(s[8:]) {
		return Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	y, m, d := atoi(s[:4]), atoi(s[5:7]), atoi(s[8:])
	if m < 1 || m > 12 {
		return Date{}, fmt.Errorf("invalid date %q: month %d out of range", s, m)
	}
	if d < 1 || d > daysIn(y, time.Month(m)) {
		return Date{}, fmt.Errorf("invalid date %q: day %d out of range for %04d-%02d", s, d, y, m)
	}
	return Date{y, time.Month(m), d}, nil
}

func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return sign(int64(d.Year - o.Year))
	case d.Month != o.Month:
		return sign(int64(d.Month - o.Month))
	}
	return sign(int64(d.Day - o.Day))
}

func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }
func (d Date) After(o Date) bool  { return d.Compare(o) > 0 }

// String returns YYYY-MM-DD ("" for the zero Date).
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// VN returns the date as Vietnamese users write it: dd/mm/yyyy.
func (d Date) VN() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
}

func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: want a string YYYY-MM-DD")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func (d *Date) decodeNode(n *node) error {
	if n.kind != stringNode {
		return fmt.Errorf("want a date string YYYY-MM-DD, got %s", n.kind)
	}
	v, err := ParseDate(n.text)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Period is a closed interval of dates [From, To].
type Period struct {
	From Date `json:"from" rules:"required"`
	To   Date `json:"to" rules:"required"`
}

// Contains reports whether From ≤ d ≤ To.
func (p Period) Contains(d Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// RelDate is a day of the year relative to an evaluation (or plan) year:
// {"year_offset": -1, "month": 11, "day": 16} is 16/11 of the year before.
// February 29 is not allowed, so that every year has the day.
type RelDate struct {
	YearOffset int `json:"year_offset" rules:"required"`
	Month      int `json:"month" rules:"required"`
	Day        int `json:"day" rules:"required"`
}

// On returns the date for the given year.
func (r RelDate) On(year int) Date {
	return Date{year + r.YearOffset, time.Month(r.Month), r.Day}
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

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi converts a string of ASCII digits (checked by the caller).
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func sign(n int64) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
