package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// decodeJSON reads a JSON body strictly: unknown fields and trailing data are
// refused; a value of the wrong type is reported against its field. Such a
// body is a 400; well-formed values that break rules are a 422 (validation).
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return badRequest("Nội dung phải là JSON (Content-Type: application/json)", nil)
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
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
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return badRequest("Thiếu nội dung JSON", nil)
	case errors.As(err, &mbe):
		return badRequest(fmt.Sprintf("Nội dung quá lớn (tối đa %d byte)", mbe.Limit), nil)
	case errors.As(err, &syn):
		return badRequest(fmt.Sprintf("JSON sai cú pháp ở byte %d", syn.Offset), nil)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return badRequest("Sai kiểu dữ liệu", map[string]string{field: fmt.Sprintf("cần kiểu %s", typeName(typ.Type.String()))})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badRequest("Trường không được hỗ trợ", map[string]string{name: "trường không có trong lược đồ"})
	default:
		// Errors from a field's own UnmarshalJSON (dates, scores) name no
		// field in encoding/json; report the message itself.
		return badRequest("Dữ liệu không hợp lệ: "+err.Error(), nil)
	}
}

func typeName(goType string) string {
	switch {
	case strings.Contains(goType, "int"):
		return "số nguyên"
	case strings.Contains(goType, "float"), strings.Contains(goType, "Tenths"):
		return "số"
	case strings.Contains(goType, "bool"):
		return "true/false"
	case strings.Contains(goType, "string"), strings.Contains(goType, "Date"), strings.Contains(goType, "Status"),
		strings.Contains(goType, "Result"), strings.Contains(goType, "Grade"):
		return "chuỗi"
	}
	return goType
}
