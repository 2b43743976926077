package antq

// codeList is a closed list of codes in display order, each with the
// Vietnamese name users read: the one place where a code type's values,
// validity and labels are written.
type codeList[T ~string] []codeLabel[T]

type codeLabel[T ~string] struct {
	code  T
	label string
}

// codes returns the codes in display order.
func (l codeList[T]) codes() []T {
	out := make([]T, len(l))
	for i, c := range l {
		out[i] = c.code
	}
	return out
}

// valid reports whether v is in the list.
func (l codeList[T]) valid(v T) bool {
	_, ok := l.find(v)
	return ok
}

// label returns v's Vietnamese name, or v itself for a code not in the list.
func (l codeList[T]) label(v T) string {
	if c, ok := l.find(v); ok {
		return c.label
	}
	return string(v)
}

func (l codeList[T]) find(v T) (codeLabel[T], bool) {
	for _, c := range l {
		if c.code == v {
			return c, true
		}
	}
	return codeLabel[T]{}, false
}
