package web

import (
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"antq"
)

// Admission control (test plan T13): a bounded number of requests in
// flight per class. A request that finds its class full waits at most
// Limits.Queue for a place, then gets 503 with Retry-After, so that an
// overloaded server answers every request within about a second instead of
// queueing without bound (and growing memory) until clients time out.
// Health checks and static files are never held back: a load balancer
// must still see the server alive while it sheds load.

// requestClass is what a request costs the server.
type requestClass int

const (
	classRead   requestClass = iota // pages and API reads
	classWrite                      // anything that changes data
	classExport                     // files built or streamed: workbooks, evidence, documents
	classLogin                      // password checks (argon2id: memory and CPU)
	classExempt                     // health checks, static files
	nClasses    = classExempt
)

var classNames = [nClasses]string{"read", "write", "export", "login"}

// Limits bound the requests in flight per class. Zero fields take the
// defaults of DefaultLimits.
type Limits struct {
	Reads, Writes, Exports, Logins int
	// Queue is how long a request may wait for a place before it is shed.
	Queue time.Duration
	// RetryAfter is the Retry-After a shed request is told (whole seconds).
	RetryAfter time.Duration
}

// DefaultLimits scales with the processors: reads are cheap and many,
// writes serialise on the database anyway (SQLite has one writer), exports
// and logins are heavy.
func DefaultLimits() Limits {
	p := runtime.GOMAXPROCS(0)
	return Limits{
		Reads:      max(32, 16*p),
		Writes:     max(8, 4*p),
		Exports:    max(2, p),
		Logins:     max(4, 2*p),
		Queue:      250 * time.Millisecond,
		RetryAfter: 2 * time.Second,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	for _, f := range []struct{ v, def *int }{{&l.Reads, &d.Reads}, {&l.Writes, &d.Writes}, {&l.Exports, &d.Exports}, {&l.Logins, &d.Logins}} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	if l.Queue <= 0 {
		l.Queue = d.Queue
	}
	if l.RetryAfter < time.Second {
		l.RetryAfter = d.RetryAfter
	}
	return l
}

type admission struct {
	limits   Limits
	slots    [nClasses]chan struct{}
	shed     *prometheus.CounterVec
	inFlight *prometheus.GaugeVec
}

func newAdmission(l Limits) *admission {
	l = l.withDefaults()
	a := &admission{limits: l}
	for c, n := range [nClasses]int{l.Reads, l.Writes, l.Exports, l.Logins} {
		a.slots[c] = make(chan struct{}, n)
	}
	a.shed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "antq_http_shed_total", Help: "Requests refused with 503 because their class was full, by class.",
	}, []string{"class"})
	a.inFlight = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "antq_http_in_flight", Help: "Requests being served, by admission class.",
	}, []string{"class"})
	return a
}

// classify puts a request in its class by method and path alone (before
// routing, authentication or any database work).
func classify(r *http.Request) requestClass {
	p := r.URL.Path
	switch {
	case p == "/healthz" || p == "/readyz" || p == "/favicon.ico" || strings.HasPrefix(p, "/static/"):
		return classExempt
	case p == "/login" && r.Method == http.MethodPost:
		return classLogin
	}
	for _, ext := range []string{".xlsx", ".docx", ".zip", ".pdf", ".csv"} {
		if strings.HasSuffix(p, ext) {
			return classExport
		}
	}
	if r.Method == http.MethodGet && strings.Contains(p, "/evidence/") {
		return classExport // a file download
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
		return classRead
	}
	return classWrite
}

// admit wraps next with admission control.
func (s *Server) admit(next http.Handler) http.Handler {
	a := s.admission
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := classify(r)
		if c == classExempt {
			next.ServeHTTP(w, r)
			return
		}
		slots := a.slots[c]
		select {
		case slots <- struct{}{}:
		default:
			t := time.NewTimer(a.limits.Queue)
			select {
			case slots <- struct{}{}:
				t.Stop()
			case <-t.C:
				a.shed.WithLabelValues(classNames[c]).Inc()
				s.overloaded(w, r)
				return
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		g := a.inFlight.WithLabelValues(classNames[c])
		g.Inc()
		defer func() {
			g.Dec()
			<-slots
		}()
		next.ServeHTTP(w, r)
	})
}

// overloaded answers 503 with Retry-After, in the form the client reads.
func (s *Server) overloaded(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", strconv.Itoa(int(s.admission.limits.RetryAfter/time.Second)))
	const msg = "Hệ thống đang quá tải, xin thử lại sau ít giây"
	if isAPI(r) || !acceptsHTML(r) {
		var body errorBody
		body.Error.Code, body.Error.Message = antq.EUNAVAILABLE, msg
		writeJSON(w, http.StatusServiceUnavailable, body)
		return
	}
	s.renderError(w, r, http.StatusServiceUnavailable, msg)
}
