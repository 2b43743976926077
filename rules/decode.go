package rules

// A strict JSON decoder for the rule files. encoding/json checks the syntax
// and tokenises; the tree it yields keeps the byte offset of every key and
// value, and decoding that tree into the Go types by reflection can then
// report every problem (unknown or duplicate key, missing required field,
// wrong type, unknown code) with its exact JSON path, line and column.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

type nodeKind int

const (
	nullNode nodeKind = iota
	boolNode
	numberNode
	stringNode
	objectNode
	arrayNode
)

func (k nodeKind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an object", "an array"}[k]
}

// node is one JSON value with its position in the file.
type node struct {
	kind  nodeKind
	off   int    // byte offset of the value
	text  string // string value or number literal
	b     bool
	keys  []string // object member names, in file order
	elems []*node  // object member values (parallel to keys) or array elements
}

// parse checks the syntax of data and returns its tree; src records the
// offset of every JSON path.
func parse(file string, data []byte) (*node, *source, error) {
	src := &source{file: file, data: data, at: map[string]int{}}
	// json.Unmarshal reports syntax errors at an absolute offset (the
	// streaming Decoder does not, for errors inside a literal).
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			return nil, src, LoadErrors{src.errAt(0, "", err.Error())}
		}
		off := int(se.Offset) - 1 // the offending character
		if strings.Contains(se.Error(), "unexpected end") {
			off = len(bytes.TrimRight(data, " \t\r\n"))
		}
		path := syntaxPath(data)
		return nil, src, LoadErrors{src.errAt(off, path, "invalid JSON: "+se.Error())}
	}
	p := &tokenizer{dec: json.NewDecoder(bytes.NewReader(data)), data: data, src: src}
	p.dec.UseNumber()
	src.at[""] = p.next()
	root, err := p.value("")
	if err != nil {
		return nil, src, LoadErrors{src.errAt(0, "", "invalid JSON: "+err.Error())}
	}
	if len(p.errs) > 0 {
		return nil, src, p.errs
	}
	return root, src, nil
}

// syntaxPath tokenises broken data as far as it goes and returns the path
// of the value being read when it broke.
func syntaxPath(data []byte) string {
	p := &tokenizer{dec: json.NewDecoder(bytes.NewReader(data)), data: data, src: &source{at: map[string]int{}}}
	p.dec.UseNumber()
	p.value("")
	return p.path
}

type tokenizer struct {
	dec  *json.Decoder
	data []byte
	src  *source
	path string // path of the value being read
	errs LoadErrors
}

// next returns the offset of the next token: the decoder's offset after
// skipping white space and the separators it consumes lazily.
func (p *tokenizer) next() int {
	i := int(p.dec.InputOffset())
	for i < len(p.data) {
		switch p.data[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
		default:
			return i
		}
	}
	return i
}

func (p *tokenizer) value(path string) (*node, error) {
	p.path = path
	off := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return p.object(path, off)
		}
		return p.array(path, off)
	case string:
		return &node{kind: stringNode, off: off, text: t}, nil
	case json.Number:
		return &node{kind: numberNode, off: off, text: string(t)}, nil
	case bool:
		return &node{kind: boolNode, off: off, b: t}, nil
	}
	return &node{kind: nullNode, off: off}, nil
}

func (p *tokenizer) object(path string, off int) (*node, error) {
	n := &node{kind: objectNode, off: off}
	for p.dec.More() {
		koff := p.next()
		tok, err := p.dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		child := joinKey(path, key)
		if slices.Contains(n.keys, key) {
			p.errs = append(p.errs, p.src.errAt(koff, child,
				fmt.Sprintf("duplicate key %q (first at line %d)", key, p.src.line(child))))
		} else {
			p.src.at[child] = koff
		}
		v, err := p.value(child)
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.elems = append(n.elems, v)
		p.path = path
	}
	_, err := p.dec.Token() // '}'
	return n, err
}

func (p *tokenizer) array(path string, off int) (*node, error) {
	n := &node{kind: arrayNode, off: off}
	for i := 0; p.dec.More(); i++ {
		child := joinIndex(path, i)
		p.src.at[child] = p.next()
		v, err := p.value(child)
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, v)
		p.path = path
	}
	_, err := p.dec.Token() // ']'
	return n, err
}

// literal reads a value type from one JSON literal (a date, a score, a
// ratio) with the loader's own messages.
type literal func(n *node, v reflect.Value) error

var literals = map[reflect.Type]literal{}

// registerLiteral makes the decoder read values of T from a literal of kind
// want with parse; what names the expected value in errors ("a date string
// YYYY-MM-DD"). T may belong to another package (antq.Date, antq.Tenths).
func registerLiteral[T any](want nodeKind, what string, parse func(string) (T, error)) {
	literals[reflect.TypeFor[T]()] = func(n *node, v reflect.Value) error {
		if n.kind != want {
			return fmt.Errorf("want %s, got %s", what, n.kind)
		}
		x, err := parse(n.text)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(x))
		return nil
	}
}

// enum describes a string type whose values form a closed list; decoding
// rejects any other value.
type enum struct {
	noun   string
	values func() []string
}

var enums = map[reflect.Type]enum{}

func registerEnum[T ~string](noun string, values func() []T) {
	enums[reflect.TypeFor[T]()] = enum{noun, func() []string {
		var s []string
		for _, v := range values() {
			s = append(s, string(v))
		}
		return s
	}}
}

// decoder turns a node tree into Go values, collecting every problem.
type decoder struct {
	src  *source
	errs LoadErrors
}

func (d *decoder) fail(n *node, path, reason string) {
	off := n.off
	if o, ok := d.src.at[path]; ok {
		off = o
	}
	d.errs = append(d.errs, d.src.errAt(off, path, reason))
}

func (d *decoder) decode(n *node, v reflect.Value, path string) {
	if lit, ok := literals[v.Type()]; ok {
		if err := lit(n, v); err != nil {
			d.fail(n, path, err.Error())
		}
		return
	}
	if v.Kind() == reflect.Pointer {
		if n.kind == nullNode {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		d.decode(n, p.Elem(), path)
		v.Set(p)
		return
	}
	want := map[reflect.Kind]nodeKind{
		reflect.Struct: objectNode, reflect.Slice: arrayNode, reflect.String: stringNode,
		reflect.Bool: boolNode, reflect.Int: numberNode, reflect.Int64: numberNode,
	}
	k, ok := want[v.Kind()]
	if !ok {
		panic("rules: cannot decode into " + v.Type().String())
	}
	if n.kind != k {
		d.fail(n, path, fmt.Sprintf("want %s, got %s", k, n.kind))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.object(n, v, path)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), len(n.elems), len(n.elems))
		for i, e := range n.elems {
			d.decode(e, s.Index(i), joinIndex(path, i))
		}
		v.Set(s)
	case reflect.String:
		if e, ok := enums[v.Type()]; ok && !slices.Contains(e.values(), n.text) {
			d.fail(n, path, fmt.Sprintf("unknown %s %q (want one of: %s)", e.noun, n.text, strings.Join(e.values(), ", ")))
			return
		}
		v.SetString(n.text)
	case reflect.Bool:
		v.SetBool(n.b)
	default:
		i, err := strconv.ParseInt(n.text, 10, 64)
		if err != nil || v.OverflowInt(i) {
			d.fail(n, path, fmt.Sprintf("want an integer, got %s", n.text))
			return
		}
		v.SetInt(i)
	}
}

func (d *decoder) object(n *node, v reflect.Value, path string) {
	fields := structFields(v.Type())
	seen := map[string]bool{}
	failed := map[string]bool{} // fields whose value was rejected: no second error
	for i, key := range n.keys {
		child := joinKey(path, key)
		f, ok := fields.byName[key]
		if !ok {
			d.fail(n.elems[i], child, fmt.Sprintf("unknown field %q", key))
			continue
		}
		if seen[key] {
			continue // reported by the tokenizer
		}
		seen[key] = true
		before := len(d.errs)
		d.decode(n.elems[i], v.FieldByIndex(f.index), child)
		failed[key] = len(d.errs) > before
	}
	for _, f := range fields.list {
		if !f.required || failed[f.name] {
			continue
		}
		child := joinKey(path, f.name)
		if !seen[f.name] {
			d.errs = append(d.errs, d.src.errAt(n.off, child, fmt.Sprintf("missing required field %q", f.name)))
			continue
		}
		fv := v.FieldByIndex(f.index)
		if (fv.Kind() == reflect.String && strings.TrimSpace(fv.String()) == "") ||
			(fv.Kind() == reflect.Slice && fv.Len() == 0) {
			d.fail(n, child, fmt.Sprintf("%q must not be empty", f.name))
		}
	}
}

type fieldInfo struct {
	name     string
	index    []int // for reflect.Value.FieldByIndex
	required bool
}

type fieldSet struct {
	list   []fieldInfo
	byName map[string]fieldInfo
}

var fieldCache sync.Map // reflect.Type → *fieldSet

// structFields lists the JSON fields of a struct type: the name from its
// `json` tag, required when tagged `rules:"required"`. The fields of an
// embedded struct without a tag (Citation) count as the struct's own, in
// place, as encoding/json reads them.
func structFields(t reflect.Type) *fieldSet {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.(*fieldSet)
	}
	fs := &fieldSet{byName: map[string]fieldInfo{}}
	add := func(f fieldInfo) {
		fs.list = append(fs.list, f)
		fs.byName[f.name] = f
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && sf.Tag.Get("json") == "" {
			for _, f := range structFields(sf.Type).list {
				f.index = append([]int{i}, f.index...)
				add(f)
			}
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" || name == "" {
			continue
		}
		add(fieldInfo{name: name, index: []int{i}, required: sf.Tag.Get("rules") == "required"})
	}
	fieldCache.Store(t, fs)
	return fs
}
