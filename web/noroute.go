package web

import (
	"fmt"
	"net/http"
	"strings"

	"antq"
)

// errMethodNotAllowed is the code for a path the route table knows under
// other methods only (405, with Allow).
const errMethodNotAllowed = "method_not_allowed"

func init() { statusOf[errMethodNotAllowed] = http.StatusMethodNotAllowed }

// probedMethods are the methods the route table uses (HEAD comes with GET).
var probedMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// noRoute answers what no route takes. The catch-all "/" matches every
// method, so ServeMux's own 405 never happens: a path that other methods
// would reach gets 405 with Allow, anything else 404.
func (s *Server) noRoute(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		allow := allowedMethods(mux, r)
		if len(allow) == 0 {
			s.notFound(w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.error(w, r, &antq.Error{Code: errMethodNotAllowed,
			Message: fmt.Sprintf("Địa chỉ này không nhận phương thức %s (chỉ nhận %s)", r.Method, strings.Join(allow, ", "))})
	}
}

// allowedMethods lists the methods for which a route other than the
// catch-all matches r's path.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var allow []string
	for _, m := range probedMethods {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	return allow
}
