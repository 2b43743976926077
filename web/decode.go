package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// decodeJSON reads a JSON body strictly: unknown fields, null values and
// trailing data are refused; a value of the wrong type is reported against
// its field. Such a body is a 400; well-formed values that break rules are a
// 422 (validation).
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return badRequest("Nội dung phải là JSON (Content-Type: application/json)", nil)
	}
	body, err := io.ReadAll(r.Body) // bounded by the route's body limit
	limit, over := overLimit(err)
	switch {
	case over:
		return badRequest(fmt.Sprintf("Nội dung quá lớn (tối đa %d byte)", limit), nil)
	case err != nil:
		return badRequest("Không đọc được nội dung yêu cầu", nil)
	case len(bytes.TrimSpace(body)) == 0:
		return badRequest("Thiếu nội dung JSON", nil)
	}
	// encoding/json takes null for "leave as is", so {"username":null}
	// would pass for a missing field. The API has no use for null: an
	// absent field says it.
	if field, ok := nullField(body); ok {
		return badRequest("Không nhận giá trị null", map[string]string{field: "không nhận null: bỏ trường này đi nếu không có giá trị"})
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if dec.More() {
			return badRequest("Nội dung JSON thừa dữ liệu sau đối tượng", nil)
		}
		if _, err := dec.Token(); err != io.EOF {
			return badRequest("Nội dung JSON thừa dữ liệu sau đối tượng", nil)
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("JSON sai cú pháp: nội dung bị cắt cụt", nil)
	case errors.As(err, &syn):
		return badRequest(fmt.Sprintf("JSON sai cú pháp ở byte %d", syn.Offset), nil)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return badRequest("Sai kiểu dữ liệu", map[string]string{field: "cần " + jsonTypeName(typ.Type)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badRequest("Trường không được hỗ trợ", map[string]string{name: "trường không có trong lược đồ"})
	case strings.HasPrefix(err.Error(), "json: "):
		return badRequest("Nội dung JSON không hợp lệ", nil)
	default:
		// Errors from a field's own UnmarshalJSON (dates, scores) name no
		// field in encoding/json; their messages are written for users.
		return badRequest("Dữ liệu không hợp lệ: "+err.Error(), nil)
	}
}

// overLimit reports whether err is a request body's passing the route's
// body limit, and that limit.
func overLimit(err error) (limit int64, over bool) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return mbe.Limit, true
	}
	return 0, false
}

// readFileBody reads a file sent as the whole request body; tooLarge is
// what a body over the route's limit is told.
func readFileBody(r *http.Request, tooLarge string) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if _, over := overLimit(err); over {
		return nil, badRequest(tooLarge, nil)
	} else if err != nil {
		return nil, badRequest("Không đọc được nội dung yêu cầu", nil)
	}
	return body, nil
}

// jsonTypeName names the JSON type a Go type takes, as users read it (never
// the Go type's own name).
func jsonTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "chuỗi"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "số nguyên"
	case reflect.Float32, reflect.Float64:
		return "số"
	case reflect.Bool:
		return "true hoặc false"
	case reflect.Slice, reflect.Array:
		return "danh sách (mảng JSON)"
	case reflect.Map, reflect.Struct:
		return "đối tượng JSON"
	}
	return "giá trị khác"
}

// nullField returns the path of the first null in a JSON text ("body" for
// the whole of it, "units[0]", "decision", "criteria[1].note"). A text that
// is not valid JSON has none: the decoder reports its syntax.
func nullField(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	// One frame per open object or array: the key or index being read.
	type frame struct {
		object  bool
		key     string
		index   int
		wantKey bool
	}
	var stack []*frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			}
		}
		if b.Len() == 0 {
			return "body"
		}
		return b.String()
	}
	// value is called after each complete value inside the top frame.
	value := func() {
		if n := len(stack); n > 0 {
			if top := stack[n-1]; top.object {
				top.wantKey = true
			} else {
				top.index++
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
			if key, ok := tok.(string); ok {
				stack[n-1].key, stack[n-1].wantKey = key, false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			value()
		case nil:
			return path(), true
		default:
			value()
		}
	}
}
