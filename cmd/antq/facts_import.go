package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"antq"
	"antq/factfile"
	"antq/store"
)

const factsImportHelp = `
Nạp một mẫu nhập số liệu đã điền (tải từ trang “Nhập từ Excel” hoặc
GET /api/v1/plans/{plan}/templates.xlsx): mỗi dòng được kiểm tra như khi
nhập trên trang Nhập liệu, ghi thay cho tài khoản --user và gửi duyệt.
Dòng lỗi được liệt kê (trang!ô: lý do); bản sao của tệp với cột
“Kết quả nhập” được ghi vào --out.

--mode workbook (mặc định): có dòng lỗi thì không ghi dòng nào.
--mode row: ghi các dòng đúng, bỏ qua dòng lỗi.
`

func cmdFactsImport(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("facts import", "facts import --user TÀI_KHOẢN [--mode workbook|row] [--out KẾT_QUẢ.xlsx] TỆP.xlsx")
	username := fs.String("user", "", "tài khoản ghi số liệu và gửi duyệt (bắt buộc)")
	mode := fs.String("mode", "workbook", "workbook: cả tệp hoặc không gì cả; row: từng dòng")
	out := fs.String("out", "", "tệp kết quả (mặc định: TỆP-ket-qua.xlsx bên cạnh tệp nạp)")
	plan := fs.String("plan", "", "kế hoạch (mặc định: kế hoạch ghi trong mẫu)")
	app.setLongUsage(fs, "Cách dùng: antq facts import --user TÀI_KHOẢN [--mode workbook|row] [--out KẾT_QUẢ.xlsx] TỆP.xlsx", factsImportHelp)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 || *username == "" {
		fs.Usage()
		return antq.Errorf(antq.EINVALID, "cần đúng một tệp và --user")
	}
	var perRow bool
	switch *mode {
	case "workbook":
	case "row":
		perRow = true
	default:
		return antq.Errorf(antq.EINVALID, "--mode: workbook hoặc row")
	}
	data, err := readInputFile(files[0])
	if err != nil {
		return err
	}
	if *out == "" {
		*out = strings.TrimSuffix(files[0], filepath.Ext(files[0])) + "-ket-qua.xlsx"
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		u, err := db.FindUserByUsername(antq.SystemContext(ctx), *username)
		if err != nil {
			return err
		}
		if u.Disabled {
			return antq.Errorf(antq.EFORBIDDEN, "tài khoản %s đã bị khóa", u.Username)
		}
		as := antq.NewContextWithActor(ctx, antq.Actor{User: u, RemoteAddr: "dòng lệnh"})
		rep, err := factfile.Import(as, db, *plan, data, perRow, factfile.Options{})
		if err != nil {
			return err
		}
		for _, p := range rep.Problems {
			fmt.Fprintln(app.Stderr, p.String())
		}
		if err := os.WriteFile(*out, rep.Marked, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", *out, err)
		}
		fmt.Fprintln(app.Stdout, rep.Summary())
		fmt.Fprintf(app.Stdout, "Tệp đánh dấu kết quả từng dòng: %s\n", *out)
		if rep.Refused > 0 {
			return antq.Errorf(antq.EINVALID, "%d dòng có lỗi", rep.Refused)
		}
		return nil
	})
}
