package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"antq"
	"antq/auth"
	"antq/store"
	"antq/web"
)

func cmdServe(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("serve", "serve [--addr HOST:PORT] [--db URL] [--data DIR]")
	fs.StringVar(&app.Config.Addr, "addr", app.Config.Addr, "listen address (ANTQ_ADDR)")
	secure := fs.Bool("secure-cookies", app.Getenv("ANTQ_SECURE_COOKIES") == "1", "mark cookies Secure (behind TLS) (ANTQ_SECURE_COOKIES=1)")
	autoMigrate := fs.Bool("migrate", true, "apply pending migrations before serving")
	var limits web.Limits
	for _, l := range []struct {
		v         *int
		flag, env string
		def       int
		usage     string
	}{
		{&limits.Reads, "max-reads", "ANTQ_MAX_READS", web.DefaultLimits().Reads, "reads in flight before new ones wait, then get 503"},
		{&limits.Writes, "max-writes", "ANTQ_MAX_WRITES", web.DefaultLimits().Writes, "writes in flight before new ones wait, then get 503"},
		{&limits.Exports, "max-exports", "ANTQ_MAX_EXPORTS", web.DefaultLimits().Exports, "exports and downloads in flight"},
		{&limits.Logins, "max-logins", "ANTQ_MAX_LOGINS", web.DefaultLimits().Logins, "password logins in flight"},
	} {
		def, err := envInt(app.Getenv, l.env, l.def)
		if err != nil {
			return err
		}
		fs.IntVar(l.v, l.flag, def, l.usage+" ("+l.env+")")
	}
	queue, err := envDuration(app.Getenv, "ANTQ_QUEUE_WAIT", web.DefaultLimits().Queue)
	if err != nil {
		return err
	}
	fs.DurationVar(&limits.Queue, "queue-wait", queue, "how long a request waits for a place before 503 (ANTQ_QUEUE_WAIT)")
	memLimit := fs.String("memory-limit", envOr(app.Getenv, "ANTQ_MEMORY_LIMIT", defaultMemoryLimit(app.Getenv)), "soft memory limit of the Go runtime, e.g. 1GiB, 512MiB (ANTQ_MEMORY_LIMIT; default GOMEMLIMIT, else 1GiB)")
	zoneName := fs.String("tz", envOr(app.Getenv, "ANTQ_TZ", "Asia/Ho_Chi_Minh"), "time zone of the dates and times pages and exports show (ANTQ_TZ)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	limit, err := parseBytes(*memLimit)
	if err != nil {
		return fmt.Errorf("memory-limit: %w", err)
	}
	debug.SetMemoryLimit(limit)
	zone, err := time.LoadLocation(*zoneName)
	if err != nil {
		return antq.Errorf(antq.EINVALID, "múi giờ %q không hợp lệ (ANTQ_TZ, --tz: một tên IANA như Asia/Ho_Chi_Minh)", *zoneName)
	}
	return app.withDB(ctx, *autoMigrate, func(db *store.DB) error {
		if err := db.CheckSchema(ctx); err != nil {
			return err
		}
		srv, err := web.NewServer(web.Options{DB: db, Hasher: auth.NewHasher(auth.DefaultParams, 4), Logger: app.Logger, SecureCookies: *secure, Limits: limits, Zone: zone})
		if err != nil {
			return err
		}
		return srv.ListenAndServe(ctx, app.Config.Addr, func(a net.Addr) {
			fmt.Fprintf(app.Stdout, "ANTQ đang chạy tại http://%s/ (cơ sở dữ liệu: %s)\n", a, db.Engine())
			app.Logger.Info("serving", "addr", a.String(), "engine", db.Engine(), "memory_limit", limit,
				"max_reads", limits.Reads, "max_writes", limits.Writes, "max_exports", limits.Exports, "max_logins", limits.Logins)
		})
	})
}

// defaultMemoryLimit is GOMEMLIMIT when set (the runtime's own variable),
// else 1 GiB: a soft limit, at which the collector works harder before the
// process grows further.
func defaultMemoryLimit(getenv func(string) string) string {
	if v := getenv("GOMEMLIMIT"); v != "" && v != "off" {
		return v
	}
	return "1GiB"
}

// parseBytes reads a size as GOMEMLIMIT writes it: a number of bytes with
// an optional B, KiB, MiB, GiB or TiB suffix.
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("want a positive size such as 1GiB or 512MiB")
	}
	if n > (1<<62)/mult {
		return 0, errors.New("size too large")
	}
	return n * mult, nil
}

func envInt(getenv func(string) string, key string, def int) (int, error) {
	return envPositive(getenv, key, def, strconv.Atoi, "a positive whole number")
}

func envDuration(getenv func(string) string, key string, def time.Duration) (time.Duration, error) {
	return envPositive(getenv, key, def, time.ParseDuration, "a duration such as 250ms or 1s")
}

// envPositive reads the environment variable key with parse, def when it is
// unset; a value that does not parse or is not positive is an error that
// says what is wanted.
func envPositive[T int | time.Duration](getenv func(string) string, key string, def T, parse func(string) (T, error), want string) (T, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	n, err := parse(v)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s=%q: want %s", key, v, want)
	}
	return n, nil
}
