package main

import (
	"context"
	"fmt"
	"time"

	"antq"
	"antq/auth"
	"antq/demo"
	"antq/store"
	"antq/yearend"
)

func cmdDemo(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("demo", "demo [--db URL] [--data DIR]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := app.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	sys := antq.SystemContext(ctx)
	loaded, err := demo.LoadUnits(sys, db)
	if err != nil {
		return err
	}
	if loaded {
		fmt.Fprintln(app.Stdout, "Đã nạp đơn vị mẫu tỉnh Bình Phước 2023.")
	} else {
		fmt.Fprintln(app.Stdout, "Đơn vị mẫu đã có sẵn; không nạp lại.")
	}
	start := time.Now()
	res, loaded, err := demo.LoadFacts(sys, db)
	if err != nil {
		return err
	}
	if loaded {
		fmt.Fprintf(app.Stdout, "Đã nạp số liệu năm 2023: %d đăng ký, %d số liệu tuyên truyền, %d mô hình, %d vụ việc, %d kết quả công nhận, %d xếp loại (%.1f s).\n",
			res.Registrations, res.Propaganda, res.Models, res.Incidents, res.Recognitions, res.Grades, time.Since(start).Seconds())
	}
	if _, err := db.Rebuild(sys, demo.PlanID); err != nil {
		return err
	}
	if ye, loaded, err := demo.LoadYearEnd(sys, db); err != nil {
		return err
	} else if loaded {
		fmt.Fprintf(app.Stdout, "Đã nạp hồ sơ cuối năm của Thành phố Đồng Xoài: %d đã quyết định, %d chờ quyết định, %d chờ thẩm định, %d đang lập.\n",
			ye[yearend.Decided], ye[yearend.Reviewed], ye[yearend.Submitted], ye[yearend.Draft])
	}
	return ensureAdmin(sys, app, db)
}

// ensureAdmin creates the admin account of the demo the first time and
// prints its password once; later runs leave it alone.
func ensureAdmin(ctx context.Context, app *App, db *store.DB) error {
	if _, err := db.FindUserByUsername(ctx, "admin"); err == nil {
		fmt.Fprintln(app.Stdout, "Tài khoản admin đã có (mật khẩu đã in ở lần nạp đầu).")
		return nil
	} else if antq.ErrorCode(err) != antq.ENOTFOUND {
		return err
	}
	password := auth.RandomPassword(16)
	hash, err := auth.NewHasher(auth.DefaultParams, 1).Hash(ctx, password)
	if err != nil {
		return err
	}
	if _, err := db.CreateUser(ctx, store.NewUser{Username: "admin", FullName: "Quản trị hệ thống", Role: antq.RoleAdmin,
		UnitCode: demo.RootCode, PasswordHash: hash}); err != nil {
		return err
	}
	fmt.Fprintf(app.Stdout, "Tài khoản quản trị: admin / %s  (chỉ in một lần — hãy lưu lại)\n", password)
	return nil
}
