package web

import (
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"antq"
	"antq/auth"
)

const sessionCookie = "antq_session"

// authenticate puts the caller (from the session cookie or a bearer token)
// into the request context. It does not refuse anyone: requireUser does.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := antq.Actor{RemoteAddr: clientAddr(r)}
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok || token == "" {
				s.error(w, r, antq.Errorf(antq.EUNAUTHORIZED, "Tiêu đề Authorization phải có dạng 'Bearer <mã>'"))
				return
			}
			user, err := s.DB.TokenUser(r.Context(), auth.HashToken(token))
			if err != nil {
				s.error(w, r, err)
				return
			}
			actor.User = user
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			if user, err := s.DB.SessionUser(r.Context(), auth.HashToken(c.Value), s.Sessions); err == nil {
				actor.User = user
			} else if antq.ErrorCode(err) != antq.EUNAUTHORIZED {
				s.error(w, r, err)
				return
			} else {
				s.clearSessionCookie(w)
			}
		}
		next.ServeHTTP(w, r.WithContext(antq.NewContextWithActor(r.Context(), actor)))
	})
}

// requireUser refuses anonymous requests: 401 for the API, a redirect to
// the login page for pages.
func (s *Server) requireUser(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if antq.UserFromContext(r.Context()) == nil {
			if isAPI(r) || r.Method != http.MethodGet {
				s.error(w, r, antq.Errorf(antq.EUNAUTHORIZED, "Cần đăng nhập"))
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		next(w, r)
	})
}

// require refuses a user whose role lacks perm (403).
func (s *Server) require(perm antq.Permission, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !antq.UserFromContext(r.Context()).Can(perm) {
			s.error(w, r, antq.Errorf(antq.EFORBIDDEN, "Bạn không có quyền thực hiện thao tác này"))
			return
		}
		next(w, r)
	}
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// sameOrigin refuses cross-origin state-changing browser requests (Go's
// CrossOriginProtection reads Sec-Fetch-Site and Origin). Requests with a
// bearer token carry no ambient credentials, and non-browser clients send
// neither header, so they pass.
func sameOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"error":{"code":"forbidden","message":"Yêu cầu từ nguồn khác bị từ chối (cross-origin request refused)"}}`))
	}))
	return cop.Handler(next)
}

// limitBody caps request bodies; handlers that accept files raise it.
func limitBody(next http.Handler, n int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.ContentLength != 0 && !strings.HasSuffix(r.URL.Path, "/evidence") {
			r.Body = http.MaxBytesReader(w, r.Body, n)
		}
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries: a CSP with no
// inline script, no framing, no MIME sniffing, no referrer leaks.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverAndLog logs each request and turns a panic into a 500.
func (s *Server) recoverAndLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				s.Logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.error(sw, r, antq.Errorf(antq.EINTERNAL, "Lỗi hệ thống"))
				}
			}
			level := slog.LevelDebug
			if sw.status >= 500 {
				level = slog.LevelError
			}
			s.Logger.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "duration", time.Since(start), "remote", clientAddr(r))
		}()
		next.ServeHTTP(sw, r)
	})
}

// clientAddr is the peer address without the port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
