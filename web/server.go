// Package web serves ANTQ's HTML pages and its JSON API over one route table.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"antq/auth"
	"antq/store"
)

//go:embed templates static api/openapi.json
var assetsFS embed.FS

// Server holds what handlers need. It is built once by cmd/antq.
type Server struct {
	DB       Store
	Hasher   *auth.Hasher
	Logger   *slog.Logger
	Sessions store.SessionPolicy
	// SecureCookies marks cookies Secure; set when served over TLS (or
	// behind a TLS-terminating proxy).
	SecureCookies bool

	// throttle is the login throttling policy (store.ThrottlePolicy,
	// documented there and in docs/ARCHITECTURE.md, "Access").
	throttle  store.ThrottlePolicy
	admission *admission
	metrics   *metrics
	templates map[string]*template.Template
	assets    *assetSet
	handler   http.Handler
	zone      *time.Location
}

// Options configure a Server.
type Options struct {
	DB            Store
	Hasher        *auth.Hasher
	Logger        *slog.Logger
	SecureCookies bool
	// Limits bound the requests in flight per class (admission control);
	// the zero value takes DefaultLimits.
	Limits Limits
	// Zone is the time zone pages and exports show dates and times in;
	// nil is Asia/Ho_Chi_Minh.
	Zone *time.Location
}

// NewServer parses every template (a missing or broken one stops start-up)
// and builds the route table.
func NewServer(o Options) (*Server, error) {
	if o.DB == nil {
		return nil, errors.New("web: no database")
	}
	// The pages and the API take evidence uploads: a server must know where
	// the files go (a DB opened with store.Options.NoEvidence does not).
	if o.DB.FilesDir() == "" {
		return nil, errors.New("web: the database was opened without an evidence files directory")
	}
	s := &Server{
		DB: o.DB, Hasher: o.Hasher, Logger: o.Logger, SecureCookies: o.SecureCookies,
		Sessions: store.SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour},
		throttle: store.DefaultThrottle, admission: newAdmission(o.Limits), zone: o.Zone,
	}
	if s.zone == nil {
		s.zone = vnZone
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.Hasher == nil {
		s.Hasher = auth.NewHasher(auth.DefaultParams, 4)
	}
	var err error
	staticFS, _ := fs.Sub(assetsFS, "static")
	if s.assets, err = newAssetSet(staticFS); err != nil {
		return nil, err
	}
	if s.templates, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	s.metrics = newMetrics(s)
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully.
// ready, if not nil, receives the bound address once listening.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // evidence uploads on slow links
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			return err
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
