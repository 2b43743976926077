package main

import (
	"context"
	"fmt"

	"antq"
	"antq/store"
)

func cmdBackup(ctx context.Context, app *App, args []string) error {
	out, err := app.backupFileFlag("backup", "backup --out FILE   (online: the server may keep running; evidence files go to FILE.files)",
		"out", "backup file to write (must not exist)", args)
	if err != nil {
		return err
	}
	return app.withDB(ctx, false, func(db *store.DB) error {
		if err := db.Backup(ctx, out); err != nil {
			return err
		}
		units, err := store.VerifyBackup(ctx, db.Engine(), out)
		if err != nil {
			return err
		}
		if units >= 0 {
			fmt.Fprintf(app.Stdout, "Đã sao lưu và kiểm tra %s (%d đơn vị).\n", out, units)
		} else {
			fmt.Fprintf(app.Stdout, "Đã sao lưu và kiểm tra %s.\n", out)
		}
		return nil
	})
}

func cmdRestore(ctx context.Context, app *App, args []string) error {
	from, err := app.backupFileFlag("restore", "restore --from FILE   (stop the server first; replaces the database, copies FILE.files into the data directory)",
		"from", "backup file written by antq backup", args)
	if err != nil {
		return err
	}
	if err := store.Restore(ctx, app.Config.DSN(), from, app.Config.FilesDir()); err != nil {
		return err
	}
	fmt.Fprintf(app.Stdout, "Đã phục hồi cơ sở dữ liệu từ %s.\n", from)
	return nil
}

// backupFileFlag parses the arguments of backup and restore, whose one
// flag, --flagName FILE, names the backup file and is required.
func (app *App) backupFileFlag(name, synopsis, flagName, usage string, args []string) (string, error) {
	fs := app.newFlagSet(name, synopsis)
	file := fs.String(flagName, "", usage)
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if *file == "" {
		return "", antq.Invalid("Thiếu tệp sao lưu", map[string]string{flagName: "cần --" + flagName + " FILE"})
	}
	return *file, nil
}
