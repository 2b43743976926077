package antq

// CodeList is a closed list of codes in display order, each with the
// Vietnamese name users read: the one place where a code type's values,
// validity and labels are written. The code types of the other packages
// (cluster, indicator, rules, yearend) use it too.
type CodeList[T ~string] []CodeLabel[T]

// CodeLabel is one code of a CodeList with its Vietnamese name.
type CodeLabel[T ~string] struct {
	Code  T
	Label string
}

// Codes returns the codes in display order.
func (l CodeList[T]) Codes() []T {
	out := make([]T, len(l))
	for i, c := range l {
		out[i] = c.Code
	}
	return out
}

// Valid reports whether v is in the list.
func (l CodeList[T]) Valid(v T) bool {
	_, ok := l.find(v)
	return ok
}

// Label returns v's Vietnamese name, or v itself for a code not in the list.
func (l CodeList[T]) Label(v T) string { return l.LabelOr(v, string(v)) }

// LabelOr returns v's Vietnamese name, or unknown for a code not in the list.
func (l CodeList[T]) LabelOr(v T, unknown string) string {
	if c, ok := l.find(v); ok {
		return c.Label
	}
	return unknown
}

func (l CodeList[T]) find(v T) (CodeLabel[T], bool) {
	for _, c := range l {
		if c.Code == v {
			return c, true
		}
	}
	return CodeLabel[T]{}, false
}
