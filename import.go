package antq

import (
	"fmt"
	"strings"
)

// UnitRecord is one unit read from an import file, with where it came from.
type UnitRecord struct {
	Row  int // line number in the file (the header is line 1)
	Unit Unit
}

// RowError names the file, row and column of a bad input value and why.
type RowError struct {
	File   string `json:"file"`
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}

func (e RowError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Row > 0 {
		fmt.Fprintf(&b, ":%d", e.Row)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, " [%s]", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// MaxReportedRowErrors caps how many row errors one import reports.
const MaxReportedRowErrors = 200

// ImportErrors is the list of everything wrong with an import file. An
// import with any error changes nothing.
type ImportErrors []RowError

func (e ImportErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d lỗi trong tệp nhập", len(e))
	for i, re := range e {
		if i == 20 {
			fmt.Fprintf(&b, "\n… và %d lỗi khác", len(e)-20)
			break
		}
		b.WriteString("\n")
		b.WriteString(re.Error())
	}
	return b.String()
}
