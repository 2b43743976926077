package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"antq"
)

// metrics are the server's Prometheus figures, in a registry of its own (no
// global state: tests run several servers in one process).
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "antq_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
	}, []string{"route", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "antq_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"route"})
	m.registry.MustRegister(m.requests, m.duration, s.admission.shed, s.admission.inFlight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(s.DB.ReadPool(), string(s.DB.Engine())))
	return m
}

// observe records one request under its route pattern (not its path, so
// unit codes do not multiply the series).
func (m *metrics) observe(route string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// GET /metrics (for a scraper: an admin whose scope is the whole deployment,
// by session or bearer token). The figures cover every route and unit, so
// an admin below the root is refused.
func (s *Server) metricsHandler(w http.ResponseWriter, r *http.Request) {
	whole, err := s.DB.SeesEverything(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !whole {
		s.error(w, r, antq.Errorf(antq.EFORBIDDEN, "Chỉ quản trị viên của đơn vị cấp cao nhất (toàn hệ thống) được xem số liệu vận hành"))
		return
	}
	promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}
