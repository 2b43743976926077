package rules

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrNotFound is wrapped by every lookup that finds nothing (unknown rule set
// or plan id, no window or authority for a unit kind).
var ErrNotFound = errors.New("not found")

// LoadError is one problem in a rule set or plan file. Line and Column are
// 1-based (Column counts characters, not bytes) and point at the offending
// key, value or character; both are 0 when the value was not read from a
// file. Path is the JSON path of the offending value, e.g.
// "checklists[0].criteria[3].id" ("" for the whole document); Field is its
// last key ("id").
type LoadError struct {
	File   string
	Line   int
	Column int
	Path   string
	Field  string
	Reason string
}

func (e *LoadError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	} else {
		b.WriteString("<input>")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// LoadErrors is every problem found in one file, in source order. The
// loaders return it (never empty) as their error; errors.As(err, &le) with
// le a *LoadError yields the first problem.
type LoadErrors []*LoadError

func (l LoadErrors) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As and errors.Is see each *LoadError.
func (l LoadErrors) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// sorted orders the errors by position in the file, keeping the order in
// which they were found for equal positions.
func (l LoadErrors) sorted() LoadErrors {
	slices.SortStableFunc(l, func(a, b *LoadError) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return l
}

// source is a file being loaded: its name, its bytes and where each JSON path
// starts, so that errors found after decoding can still point into the file.
type source struct {
	file string
	data []byte
	// at maps a JSON path to the byte offset of its key (object members) or of
	// its value (array elements and the root).
	at map[string]int
}

// position converts a byte offset into a 1-based line and column (in
// characters).
func (s *source) position(off int) (line, col int) {
	off = min(max(off, 0), len(s.data))
	before := s.data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, 1 + utf8.RuneCount(before[start:])
}

// offset finds the nearest located ancestor of path (the path itself when it
// is in the file; for a missing key, the object that should hold it).
func (s *source) offset(path string) (int, bool) {
	for {
		if off, ok := s.at[path]; ok {
			return off, true
		}
		if path == "" {
			return 0, false
		}
		path = parentPath(path)
	}
}

// errAt builds a LoadError at a byte offset.
func (s *source) errAt(off int, path, reason string) *LoadError {
	e := &LoadError{Path: path, Field: fieldOf(path), Reason: reason}
	if s != nil {
		e.File = s.file
		e.Line, e.Column = s.position(off)
	}
	return e
}

// errPath builds a LoadError located at path (or its nearest ancestor).
func (s *source) errPath(path, reason string) *LoadError {
	if s == nil {
		return &LoadError{Path: path, Field: fieldOf(path), Reason: reason}
	}
	off, _ := s.offset(path)
	return s.errAt(off, path, reason)
}

// line returns the line of path, or 0 when it is unknown.
func (s *source) line(path string) int {
	if s == nil {
		return 0
	}
	off, ok := s.offset(path)
	if !ok {
		return 0
	}
	l, _ := s.position(off)
	return l
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func joinIndex(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// parentPath drops the last key or index: "a.b[2]" → "a.b" → "a" → "".
func parentPath(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

// fieldOf returns the last key of path: "targets[2].target" → "target",
// "rule_sets[1]" → "rule_sets".
func fieldOf(path string) string {
	for strings.HasSuffix(path, "]") {
		i := strings.LastIndexByte(path, '[')
		if i < 0 {
			break
		}
		path = path[:i]
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}
