package web

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"antq"
	"antq/store"
)

// throttleAddr is the client address the throttle counts: an IPv4 address
// as is, an IPv6 address as its /64 (one subscriber usually holds a whole
// /64, so counting single addresses would let it rotate freely).
func throttleAddr(r *http.Request) string {
	addr := clientAddr(r)
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// loginWait refuses a login attempt while the throttle asks the client to
// wait: a 429 with Retry-After. It never tells whether the account exists:
// unknown names are counted like real ones.
func (s *Server) loginWait(w http.ResponseWriter, r *http.Request, username string) error {
	wait, err := s.DB.LoginWait(r.Context(), s.throttle, username, throttleAddr(r))
	if err != nil || wait <= 0 {
		return err
	}
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.Logger.Warn("login throttled", "username", store.LoginKey(username), "remote", clientAddr(r), "wait", wait)
	return &antq.Error{Code: antq.ETOOMANY, Message: fmt.Sprintf("Đăng nhập sai nhiều lần. Vui lòng thử lại sau %s.", humanWait(secs))}
}

// humanWait writes a wait in Vietnamese: "45 giây", "3 phút".
func humanWait(secs int) string {
	if secs < 60 {
		return fmt.Sprintf("%d giây", secs)
	}
	return fmt.Sprintf("%d phút", (secs+59)/60)
}
