package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"antq"
)

// Posted forms must be UTF-8. The JSON decoder replaces invalid bytes with
// U+FFFD, but a form value would reach the database as raw bytes and no
// longer match its audit record (JSON), so every form handler refuses them
// first, through formEncodingErrors.

const (
	msgFormEncoding  = "Biểu mẫu chứa ký tự không hợp lệ (dữ liệu không phải UTF-8)"
	msgFieldEncoding = "chứa ký tự không hợp lệ (dữ liệu không phải UTF-8); hãy nhập lại"
)

// formEncodingErrors parses the request's form (if not parsed yet) and
// returns a field error for each field whose name, value or file name is
// not valid UTF-8; empty when the form is clean.
func formEncodingErrors(r *http.Request) antq.FieldErrors {
	if r.PostForm == nil {
		r.ParseForm()
	}
	f := antq.FieldErrors{}
	check := func(values map[string][]string) {
		for k, vs := range values {
			ok := utf8.ValidString(k)
			for _, v := range vs {
				ok = ok && utf8.ValidString(v)
			}
			if !ok {
				f.Add(cleanUTF8(k), msgFieldEncoding)
			}
		}
	}
	check(r.PostForm)
	if r.MultipartForm != nil {
		check(r.MultipartForm.Value)
		for k, files := range r.MultipartForm.File {
			for _, fh := range files {
				if !utf8.ValidString(k) || !utf8.ValidString(fh.Filename) {
					f.Add(cleanUTF8(k), "tên tệp "+msgFieldEncoding)
				}
			}
		}
	}
	return f
}

// formEncodingErr is formEncodingErrors as an error (nil when clean).
func formEncodingErr(r *http.Request) error {
	return formEncodingErrors(r).Err(msgFormEncoding)
}

// cleanUTF8 makes s safe to show again in a page.
func cleanUTF8(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// formUTF8 refuses a URL-encoded form with a field or value that is not
// UTF-8 before the handler runs (422, nothing read or written), so that a
// new form route is covered without its handler remembering to check.
// Multipart forms (uploads) are checked by their handlers, which stream
// the body.
func formUTF8(s *Server, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			if err := formEncodingErr(r); err != nil {
				s.error(w, r, err)
				return
			}
		}
		next(w, r)
	}
}
