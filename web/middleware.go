package web

import (
	"context"
	"fmt"
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

// sessionCookieName is the session cookie's name. Over TLS it carries the
// __Host- prefix, which browsers accept only with Secure, Path=/ and no
// Domain, so a sibling subdomain cannot plant or overwrite it.
func (s *Server) sessionCookieName() string {
	if s.SecureCookies {
		return "__Host-antq_session"
	}
	return "antq_session"
}

// requestInfo is filled in while a request is served, for the access log.
type requestInfo struct {
	user  string
	route string // the route pattern that matched, for metrics
}

type requestInfoKey struct{}

// authenticate puts the caller (from the session cookie or a bearer token)
// into the request context. It does not refuse anyone: requireUser does.
// A wrong bearer token is refused at once (401): a script must know.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := antq.Actor{RemoteAddr: clientAddr(r)}
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok || token == "" || len(token) > 200 {
				s.error(w, r, antq.Errorf(antq.EUNAUTHORIZED, "Tiêu đề Authorization phải có dạng 'Bearer <mã>'"))
				return
			}
			user, err := s.DB.TokenUser(r.Context(), auth.HashToken(token))
			if err != nil {
				s.error(w, r, err)
				return
			}
			actor.User = user
		} else if c, err := r.Cookie(s.sessionCookieName()); err == nil && c.Value != "" {
			if user, err := s.DB.SessionUser(r.Context(), auth.HashToken(c.Value), s.Sessions); err == nil {
				actor.User = user
			} else if antq.ErrorCode(err) != antq.EUNAUTHORIZED {
				s.error(w, r, err)
				return
			} else {
				s.clearSessionCookie(w)
			}
		}
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok && actor.User != nil {
			info.user = actor.User.Username
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

// require refuses a user whose role lacks perm (403). A route that changes
// the facts of the unit in its path ({code}) is further held to the role's
// reach: data entry records the facts of its own unit and of the
// residential areas and organisations directly under it, not of the whole
// subtree (see antq.Reach). A unit outside the user's scope is 404 first.
func (s *Server) require(perm antq.Permission, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		user := antq.UserFromContext(r.Context())
		if !user.Can(perm) {
			s.error(w, r, antq.Errorf(antq.EFORBIDDEN, "Bạn không có quyền thực hiện thao tác này"))
			return
		}
		if code := r.PathValue("code"); code != "" && (perm == antq.PermFactWrite || perm == antq.PermFactDecide) && user.Reach() != antq.ReachSubtree {
			target, err := s.writeTarget(r, code)
			if err != nil {
				s.error(w, r, err)
				return
			}
			if !user.MayChange(target) {
				s.error(w, r, antq.Errorf(antq.EFORBIDDEN,
					"Tài khoản nhập liệu chỉ ghi số liệu của đơn vị mình và các khu dân cư, cơ quan, tổ chức trực thuộc trực tiếp"))
				return
			}
		}
		next(w, r)
	}
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// sameOrigin refuses cross-origin state-changing browser requests (Go's
// CrossOriginProtection reads Sec-Fetch-Site and Origin). Go compares an
// Origin with the Host only, not the scheme, so a request without
// Sec-Fetch-Site whose Origin differs from this server's own origin in
// scheme, host or port is refused here first (Origin: https://host on plain
// http). Requests with a bearer token carry no ambient credentials, and
// non-browser clients send neither header, so they pass.
func (s *Server) sameOrigin(next http.Handler) http.Handler {
	deny := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"error":{"code":"forbidden","message":"Yêu cầu từ nguồn khác bị từ chối (cross-origin request refused)"}}` + "\n"))
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(deny)
	h := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if o := r.Header.Get("Origin"); o != "" && r.Header.Get("Sec-Fetch-Site") == "" && !sameOriginAs(o, s.ownScheme(r), r.Host) {
				deny(w, r)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// ownScheme is the scheme browsers use to reach the server: https when the
// connection is TLS or the server is configured as served over TLS
// (SecureCookies, also behind a TLS-terminating proxy), else http.
func (s *Server) ownScheme(r *http.Request) string {
	if r.TLS != nil || s.SecureCookies {
		return "https"
	}
	return "http"
}

// sameOriginAs reports whether the Origin header value origin is
// scheme://host (host with its port, a default port written or not).
func sameOriginAs(origin, scheme, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.Path != "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	return strings.EqualFold(u.Scheme, scheme) && strings.EqualFold(withoutDefaultPort(u.Host, scheme), withoutDefaultPort(host, scheme))
}

func withoutDefaultPort(host, scheme string) string {
	if h, port, err := net.SplitHostPort(host); err == nil && (scheme == "http" && port == "80" || scheme == "https" && port == "443") {
		if strings.Contains(h, ":") {
			return "[" + h + "]" // IPv6
		}
		return h
	}
	return host
}

// bodyLimit is how large a request body a route may read, declared per
// route in routes.go.
type bodyLimit int

const (
	smallBody    bodyLimit = iota // forms and JSON: maxSmallBody
	evidenceBody                  // evidence uploads: the evidence limit plus room for the form fields
	unitFileBody                  // unit and reorganisation files: maxUnitFileBody
)

const (
	maxSmallBody      = 1 << 20
	maxUnitFileBody   = 32 << 20 // the whole official 2025 table is about 1.5 MB
	evidenceFormBytes = 64 << 10
)

// bodyBytes is the limit in bytes.
func (s *Server) bodyBytes(l bodyLimit) int64 {
	if l == evidenceBody {
		return s.DB.EvidenceLimits().MaxBytes + evidenceFormBytes
	}
	if l == unitFileBody {
		return maxUnitFileBody
	}
	return maxSmallBody
}

// limitBody caps the body of the route's requests at the limit the route
// declares (default smallBody). A body announced larger is refused at once
// (413), unread; one that turns out larger while read fails the handler's
// decoding (400).
func (s *Server) limitBody(next http.Handler, limit ...bodyLimit) http.Handler {
	l := smallBody
	if len(limit) > 0 {
		l = limit[0]
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.ContentLength != 0 {
			n := s.bodyBytes(l)
			if r.ContentLength > n {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.Header().Set("Cache-Control", "no-store")
				w.Header().Set("Connection", "close")
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				fmt.Fprintf(w, `{"error":{"code":"too_large","message":"Nội dung quá lớn (tối đa %d byte)"}}`+"\n", n)
				return
			}
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

// refused reports whether status is a refusal the security log records
// (ASVS 16.3.2): not signed in, forbidden, not found (which is also what
// something outside the caller's scope answers), too many attempts.
func refused(status int) bool {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusTooManyRequests, http.StatusRequestEntityTooLarge:
		return true
	}
	return false
}

// recoverAndLog logs each request and turns a panic into a 500. Refusals
// are logged at warning level with the user, so denied attempts can be
// counted and reviewed.
func (s *Server) recoverAndLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		info := &requestInfo{}
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v) // a response broken off on purpose: net/http drops the connection
				}
				s.Logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.error(sw, r, antq.Errorf(antq.EINTERNAL, "Lỗi hệ thống"))
				}
			}
			level, msg := slog.LevelDebug, "request"
			switch {
			case sw.status >= 500:
				level = slog.LevelError
			case refused(sw.status):
				level, msg = slog.LevelWarn, "refused"
			}
			elapsed := time.Since(start)
			s.Logger.Log(r.Context(), level, msg, "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "user", info.user, "duration", elapsed, "remote", clientAddr(r))
			if s.metrics != nil {
				s.metrics.observe(info.route, sw.status, elapsed)
			}
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

// routeNamed records the matched route pattern for the access log and the
// metrics.
func routeNamed(pattern string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.route = pattern
		}
		next.ServeHTTP(w, r)
	})
}
