package main

import (
	"context"
	"fmt"
	"net"
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
	zoneName := fs.String("tz", envOr(app.Getenv, "ANTQ_TZ", "Asia/Ho_Chi_Minh"), "time zone of the dates and times pages and exports show (ANTQ_TZ)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	zone, err := time.LoadLocation(*zoneName)
	if err != nil {
		return antq.Errorf(antq.EINVALID, "múi giờ %q không hợp lệ (ANTQ_TZ, --tz: một tên IANA như Asia/Ho_Chi_Minh)", *zoneName)
	}
	return app.withDB(ctx, *autoMigrate, func(db *store.DB) error {
		if err := db.CheckSchema(ctx); err != nil {
			return err
		}
		srv, err := web.NewServer(web.Options{DB: db, Hasher: auth.NewHasher(auth.DefaultParams, 4), Logger: app.Logger, SecureCookies: *secure, Zone: zone})
		if err != nil {
			return err
		}
		return srv.ListenAndServe(ctx, app.Config.Addr, func(a net.Addr) {
			fmt.Fprintf(app.Stdout, "ANTQ đang chạy tại http://%s/ (cơ sở dữ liệu: %s)\n", a, db.Engine())
			app.Logger.Info("serving", "addr", a.String(), "engine", db.Engine())
		})
	})
}
