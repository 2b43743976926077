package web

import (
	"net/http"
	"strings"

	"antq"
	"antq/auth"
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

// loginSubmit checks the password and starts a new session. A new session id
// is issued at every login, so a planted cookie is never promoted (no
// session fixation). Unknown users and wrong passwords get the same answer
// after the same work.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	username := strings.TrimSpace(strings.ToLower(r.PostFormValue("username")))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	user, err := s.checkPassword(r, username, password)
	if err != nil {
		status := http.StatusUnauthorized
		if antq.ErrorCode(err) == antq.EINTERNAL {
			s.error(w, r, err)
			return
		}
		s.render(w, r, status, "login", loginPage{Layout: s.layout(r, "Đăng nhập"), Error: antq.ErrorMessage(err), Username: username, Next: next})
		return
	}
	if err := s.startSession(w, r, user); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

var errBadLogin = antq.Errorf(antq.EUNAUTHORIZED, "Tên đăng nhập hoặc mật khẩu không đúng")

func (s *Server) checkPassword(r *http.Request, username, password string) (*antq.User, error) {
	userID, hash, err := s.DB.PasswordHash(r.Context(), username)
	if err != nil {
		return nil, err
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

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, user *antq.User) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.DB.DeleteSession(r.Context(), auth.HashToken(c.Value))
	}
	id := auth.NewToken("")
	if err := s.DB.CreateSession(r.Context(), auth.HashToken(id), user.ID, s.Sessions, clientAddr(r), r.UserAgent()); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(s.Sessions.Absolute.Seconds())})
	return nil
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.DB.DeleteSession(r.Context(), auth.HashToken(c.Value)); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps redirects on this site: only local absolute paths.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
