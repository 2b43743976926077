package main

import (
	"context"
	"fmt"
	"net"

	"antq/auth"
	"antq/store"
	"antq/web"
)

func cmdServe(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("serve", "serve [--addr HOST:PORT] [--db URL] [--data DIR]")
	fs.StringVar(&app.Config.Addr, "addr", app.Config.Addr, "listen address (ANTQ_ADDR)")
	secure := fs.Bool("secure-cookies", app.Getenv("ANTQ_SECURE_COOKIES") == "1", "mark cookies Secure (behind TLS) (ANTQ_SECURE_COOKIES=1)")
	autoMigrate := fs.Bool("migrate", true, "apply pending migrations before serving")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return app.withDB(ctx, *autoMigrate, func(db *store.DB) error {
		if err := db.CheckSchema(ctx); err != nil {
			return err
		}
		srv, err := web.NewServer(web.Options{DB: db, Hasher: auth.NewHasher(auth.DefaultParams, 4), Logger: app.Logger, SecureCookies: *secure})
		if err != nil {
			return err
		}
		return srv.ListenAndServe(ctx, app.Config.Addr, func(a net.Addr) {
			fmt.Fprintf(app.Stdout, "ANTQ đang chạy tại http://%s/ (cơ sở dữ liệu: %s)\n", a, db.Engine())
			app.Logger.Info("serving", "addr", a.String(), "engine", db.Engine())
		})
	})
}
