package antq

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a civil date (no time, no zone), stored as YYYY-MM-DD. The zero
// Date means "not set" (an open end of a validity interval, for example).
type Date struct {
	t time.Time
}

const dateLayout = "2006-01-02"

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date { return NewDate(t.Date()) }

// ParseDate parses YYYY-MM-DD; the empty string gives the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("ngày %q không hợp lệ (cần dạng YYYY-MM-DD)", s)
	}
	return Date{t}, nil
}

// MustDate parses s and panics on error; for literals in code and tests.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) IsZero() bool       { return d.t.IsZero() }
func (d Date) Time() time.Time    { return d.t }
func (d Date) Year() int          { return d.t.Year() }
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }
func (d Date) After(o Date) bool  { return d.t.After(o.t) }
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) Equal(o Date) bool  { return d.t.Equal(o.t) }
func (d Date) Compare(o Date) int { return d.t.Compare(o.t) }
func (d Date) Month() time.Month  { return d.t.Month() }

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(dateLayout)
}

// VN returns the date as Vietnamese users write it: dd/mm/yyyy.
func (d Date) VN() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("02/01/2006")
}

// Value stores the date as text (SQLite) or lets PostgreSQL cast the text to
// its DATE column; NULL for the zero Date.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a DATE (time.Time from PostgreSQL) or TEXT (SQLite) column.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = NewDate(v.Date())
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("antq.Date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) > len(dateLayout) { // tolerate a driver adding a time part
		s = s[:len(dateLayout)]
	}
	v, err := ParseDate(s)
	*d = v
	return err
}

func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("ngày phải là chuỗi dạng YYYY-MM-DD")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Covers reports whether the closed interval [from, to] contains d; a zero
// "to" is open-ended.
func Covers(from, to, d Date) bool {
	return !d.Before(from) && (to.IsZero() || !d.After(to))
}
