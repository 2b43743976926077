package web

import (
	"compress/gzip"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Responses are compressed for slow links: HTML, CSS, JSON and SVG (and
// JavaScript, should any appear) with gzip when the client accepts it. Not
// compressed: types that already are (XLSX, PDF, images, evidence files),
// bodies under gzipMinBytes (the gzip frame would eat the saving), partial
// content, and anything a handler encoded itself (the metrics endpoint).
// Headers are left as the handler set them (a page's Cache-Control:
// no-store, a static asset's immutable) apart from Content-Encoding,
// Content-Length and Vary: Accept-Encoding, which every response of a
// compressible type carries, compressed or not, so that a shared cache
// never serves the gzipped variant to a client that did not ask for it.

// gzipMinBytes is the smallest body worth compressing.
const gzipMinBytes = 1024

// compressible reports whether a response of this Content-Type is text
// worth compressing.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mt {
	case "text/html", "text/css", "application/json", "image/svg+xml", "text/javascript", "application/javascript":
		return true
	}
	return strings.HasSuffix(mt, "+json")
}

// acceptsGzip reads Accept-Encoding (RFC 9110 §12.5.3): gzip (or x-gzip)
// with a non-zero weight, or * when gzip is not named.
func acceptsGzip(r *http.Request) bool {
	star, named := false, false
	for _, h := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(h, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			ok := true
			for p := range strings.SplitSeq(params, ";") {
				if k, v, found := strings.Cut(strings.TrimSpace(p), "="); found && strings.EqualFold(strings.TrimSpace(k), "q") {
					q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
					ok = err == nil && q > 0
				}
			}
			switch coding {
			case "gzip", "x-gzip":
				if !ok {
					return false
				}
				named = true
			case "*":
				star = ok
			}
		}
	}
	return named || star
}

var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// compressResponses is the middleware.
func compressResponses(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gw := &gzipWriter{ResponseWriter: w, accept: r.Method != http.MethodHead && acceptsGzip(r)}
		defer gw.finish()
		next.ServeHTTP(gw, r)
	})
}

// gzipWriter holds back the status and the start of a body until it knows
// whether to compress: the Content-Type (sniffed from the first bytes when
// the handler set none, as net/http would) and the length decide. At
// gzipMinBytes it starts gzip; a body that ends shorter goes out as it is.
type gzipWriter struct {
	http.ResponseWriter
	accept  bool
	status  int  // what the handler sent to WriteHeader; 0 before
	checked bool // whether to compress is known
	decided bool // the header has gone out, plain or compressed
	gz      *gzip.Writer
	held    []byte
}

func (w *gzipWriter) WriteHeader(code int) {
	if code < 200 { // informational (103 Early Hints): not the response
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if w.status == 0 {
		w.status = code
	}
}

// check decides, at the first bytes of the body (or at its end), whether
// the response is to be compressed.
func (w *gzipWriter) check(first []byte) {
	w.checked = true
	h := w.Header()
	if _, set := h["Content-Type"]; !set && len(first) > 0 {
		h.Set("Content-Type", http.DetectContentType(first))
	}
	ok := compressible(h.Get("Content-Type"))
	if ok && !strings.Contains(strings.ToLower(strings.Join(h.Values("Vary"), ",")), "accept-encoding") {
		h.Add("Vary", "Accept-Encoding")
	}
	ok = ok && w.accept && h.Get("Content-Encoding") == "" && h.Get("Content-Range") == "" &&
		w.status != http.StatusNoContent && w.status != http.StatusNotModified && w.status != http.StatusPartialContent
	if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil && n < gzipMinBytes {
		ok = false
	}
	if !ok {
		w.decided = true
		w.ResponseWriter.WriteHeader(w.status)
	}
}

func (w *gzipWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if !w.checked {
		w.check(p)
	}
	switch {
	case w.gz != nil:
		return w.gz.Write(p)
	case w.decided:
		return w.ResponseWriter.Write(p)
	}
	w.held = append(w.held, p...)
	if len(w.held) >= gzipMinBytes {
		if err := w.startGzip(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (w *gzipWriter) startGzip() error {
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Encoding", "gzip")
	w.ResponseWriter.WriteHeader(w.status)
	w.decided = true
	w.gz = gzipWriters.Get().(*gzip.Writer)
	w.gz.Reset(w.ResponseWriter)
	held := w.held
	w.held = nil
	_, err := w.gz.Write(held)
	return err
}

// finish sends what is held (a body too short to compress, or a status
// with no body) or ends the gzip stream.
func (w *gzipWriter) finish() {
	if w.status != 0 && !w.checked {
		w.check(nil)
	}
	switch {
	case w.gz != nil:
		w.gz.Close()
		w.gz.Reset(nil)
		gzipWriters.Put(w.gz)
		w.gz = nil
	case w.status != 0 && !w.decided:
		w.decided = true
		w.ResponseWriter.WriteHeader(w.status)
		w.ResponseWriter.Write(w.held)
	}
}

// Flush sends what the handler wrote so far (compressed if it may be).
func (w *gzipWriter) Flush() {
	if w.status != 0 && !w.checked {
		w.check(w.held)
	}
	if w.status != 0 && !w.decided {
		if err := w.startGzip(); err != nil {
			return
		}
	}
	if w.gz != nil {
		w.gz.Flush()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
