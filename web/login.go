package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"antq"
	"antq/auth"
	"antq/store"
)

type loginPage struct {
	Layout
	Error    string
	Username string
	Next     string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if antq.UserFromContext(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", loginPage{Layout: s.layout(r, "Đăng nhập"), Next: safeNext(r.URL.Query().Get("next"))})
}

// maxPasswordBytes bounds what is hashed: longer input is a wrong password
// (hashed all the same, at the same cost).
const maxPasswordBytes = 1024

// normalizeUsername is how a typed user name is compared: trimmed, lower
// case, at most 200 bytes (longer is no valid name anyway).
func normalizeUsername(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "")
	}
	return s
}

// loginSubmit checks the password and starts a new session. The throttle
// (throttle.go) is asked first; a refused attempt is not counted. A new
// session id is issued at every login and a session the browser already
// had is ended, so a planted cookie is never promoted (no session
// fixation). Unknown users, disabled accounts and wrong passwords get the
// same answer after the same work (one argon2id hash).
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	username := normalizeUsername(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	page := loginPage{Layout: s.layout(r, "Đăng nhập"), Username: cleanUTF8(username), Next: next}
	if f := formEncodingErrors(r); len(f) > 0 {
		// No password is checked, so nothing is counted: the answer says
		// nothing about the account.
		page.Error = msgFormEncoding + ": " + strings.Join(slices.Sorted(maps.Keys(f)), ", ")
		s.render(w, r, http.StatusUnprocessableEntity, "login", page)
		return
	}
	if err := s.loginWait(w, r, username); err != nil {
		if antq.ErrorCode(err) != antq.ETOOMANY {
			s.error(w, r, err)
			return
		}
		page.Error = antq.ErrorMessage(err)
		s.render(w, r, http.StatusTooManyRequests, "login", page)
		return
	}
	user, err := s.checkPassword(r, username, password)
	if err != nil && antq.ErrorCode(err) != antq.EUNAUTHORIZED {
		s.error(w, r, err)
		return
	}
	if user == nil {
		if err := s.DB.RecordLogin(r.Context(), s.throttle, username, throttleAddr(r), nil); err != nil {
			s.error(w, r, err)
			return
		}
		s.Logger.Warn("login failed", "username", loginKeyForLog(username), "remote", clientAddr(r))
		page.Error = antq.ErrorMessage(err)
		s.render(w, r, http.StatusUnauthorized, "login", page)
		return
	}
	if err := s.startSession(w, r, username, user); err != nil {
		s.error(w, r, err)
		return
	}
	s.Logger.Info("login", "username", user.Username, "remote", clientAddr(r))
	if user.MustChangePassword {
		next = "/account?doi=can" // a first password is changed before anything else
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

var errBadLogin = antq.Errorf(antq.EUNAUTHORIZED, "Tên đăng nhập hoặc mật khẩu không đúng")

// checkPassword returns the enabled account named username if password is
// its password, else errBadLogin. It always computes exactly one hash.
func (s *Server) checkPassword(r *http.Request, username, password string) (*antq.User, error) {
	userID, hash, err := s.DB.PasswordHash(r.Context(), username)
	if err != nil {
		return nil, err
	}
	if len(password) > maxPasswordBytes {
		password, hash = password[:maxPasswordBytes], ""
	}
	ok, err := s.Hasher.Verify(r.Context(), hash, password)
	if err != nil {
		return nil, err
	}
	if !ok || userID == 0 {
		return nil, errBadLogin
	}
	return s.DB.FindUserByUsername(r.Context(), username)
}

// startSession records the login and opens a new session (one
// transaction), ending any session the browser already had, then sets the
// cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, typed string, user *antq.User) error {
	id := auth.NewToken("")
	ns := store.NewSession{IDHash: auth.HashToken(id), Policy: s.Sessions, RemoteAddr: clientAddr(r), UserAgent: r.UserAgent()}
	if c, err := r.Cookie(s.sessionCookieName()); err == nil && c.Value != "" {
		ns.Replaces = auth.HashToken(c.Value)
	}
	if err := s.DB.StartSession(r.Context(), s.throttle, typed, throttleAddr(r), user, ns); err != nil {
		return err
	}
	// No Max-Age: the cookie lives as long as the browser session, and the
	// server ends it on idle or absolute timeout whatever the browser keeps.
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(), Value: id, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	return nil
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(), Value: "", Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// sessionHash is the stored hash of the request's session, "" when the
// request carries none (e.g. a bearer token).
func (s *Server) sessionHash(r *http.Request) string {
	if r.Header.Get("Authorization") != "" {
		return ""
	}
	if c, err := r.Cookie(s.sessionCookieName()); err == nil && c.Value != "" {
		return auth.HashToken(c.Value)
	}
	return ""
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if h := s.sessionHash(r); h != "" {
		if err := s.DB.Logout(r.Context(), h); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// loginKeyForLog is the attempted name as logs may show it.
func loginKeyForLog(username string) string {
	if antq.ValidUsername(username) {
		return username
	}
	return "(không hợp lệ)"
}

// safeNext keeps the redirect after login on this site: next when it is a
// local path as a browser reads it, else the home page.
func safeNext(next string) string {
	if !localPath(next) {
		return "/"
	}
	return next
}

// localPath reports whether p can only lead to this origin. Browsers strip
// tabs and newlines from URLs and read "\" as "/", so "/\t/evil" and
// "/\\evil" are "//evil", another host. Accepted: printable ASCII only (no
// control characters, spaces or look-alike Unicode: the paths this site
// makes are percent-encoded), no "\", one leading "/" (never "//"), no
// scheme or host once parsed, and the same once percent-decoded (a proxy or
// server that decodes before redirecting must not find "//host" either).
func localPath(p string) bool {
	if len(p) == 0 || len(p) > 2048 || p[0] != '/' || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	dec, err := url.PathUnescape(u.EscapedPath())
	if err != nil || strings.HasPrefix(dec, "//") {
		return false
	}
	for _, r := range dec {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}
