package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"antq"
	"antq/store"
	"antq/unitfile"
)

const unitsReorganiseHelp = `
Áp dụng một tệp sắp xếp đơn vị hành chính (CSV UTF-8 hoặc XLSX); tất cả hoặc
không gì cả: tệp có lỗi thì không thay đổi gì và mọi lỗi được liệt kê
(tệp:dòng [cột]: lý do).
Applies a reorganisation file, all or nothing; every error is listed as
file:row [column]: reason.

Mỗi dòng là một đơn vị cũ và điều nó trở thành (one row per old unit):
  event           merge | split | rename | retype | move | abolish
  effective_on    ngày hiệu lực (YYYY-MM-DD or dd/mm/yyyy); the old version
                  ends the day before
  from_code       mã đơn vị cũ (the old unit, in force the day before)
  to_code         merge/split: đơn vị nhận; abolish: đơn vị tiếp nhận (optional)
  to_name, to_type, to_level, to_parent_code
                  to create a new unit (merge/split targets not yet there),
                  or the new name / type (rename, retype), or the new parent (move)
  share           split: tỷ lệ của phần này ("40%", "0,4") or "không so sánh được";
                  the shares of one split add up to 100%
  legal_number, legal_date, legal_issuer
                  căn cứ pháp lý (required): "1662/NQ-UBTVQH15", 2025-06-16,
                  "Ủy ban Thường vụ Quốc hội"
  note            ghi chú (optional)
Rows of one merge (same to_code) or one split (same from_code) on one day form
one event. Units left under an ended unit go to its successor (merge target,
abolish to_code, the new version of a renamed unit).

Example:
  event,effective_on,from_code,to_code,to_name,to_type,to_parent_code,share,legal_number,legal_date,legal_issuer
  merge,2025-07-01,25213,25210,Phường Đồng Xoài,Phường,75,,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội
  split,2025-07-01,25102,25195,,,,60%,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội
  abolish,2025-07-01,689,75,,,,,Luật Tổ chức chính quyền địa phương 2025,2025-06-16,Quốc hội
`

func cmdUnitsReorganise(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("units reorganise", "units reorganise FILE.csv|FILE.xlsx")
	fs.Usage = func() {
		fmt.Fprintln(app.Stderr, "Cách dùng (usage): antq units reorganise FILE.csv|FILE.xlsx")
		fmt.Fprint(app.Stderr, unitsReorganiseHelp)
	}
	file, err := oneFileArg(fs, args, "cần đúng một tệp (need exactly one FILE)")
	if err != nil {
		return err
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		rows, err := unitfile.ReadReorganisationFile(file)
		if err != nil {
			return reportReorgErrors(app, err)
		}
		res, err := db.Reorganise(antq.SystemContext(ctx), file, rows)
		if err != nil {
			return reportReorgErrors(app, err)
		}
		fmt.Fprintf(app.Stdout, "Đã áp dụng %d dòng, %d sự kiện từ %s: %d đơn vị kết thúc, %d đơn vị mới hoặc phiên bản mới, %d đơn vị chuyển cấp trên (%.2f s).\n",
			res.Rows, res.Events, file, res.Ended, res.Created, res.Moved, res.Duration.Seconds())
		if res.Attributed > 0 {
			fmt.Fprintf(app.Stdout, "%d số liệu của đơn vị kết thúc được tính cho đơn vị kế nhiệm (kế hoạch %s tính lại khi đọc).\n",
				res.Attributed, strings.Join(res.Rebuilt, ", "))
		}
		for _, n := range res.NotAttributed {
			fmt.Fprintln(app.Stdout, "Lưu ý: "+n+".")
		}
		return nil
	})
}

// reportReorgErrors is reportImportErrors with the reorganisation's words.
func reportReorgErrors(app *App, err error) error {
	var ie antq.ImportErrors
	if !errors.As(err, &ie) {
		return err
	}
	reportImportErrors(app, err)
	return antq.Errorf(antq.EINVALID, "tệp có lỗi, không thay đổi đơn vị nào (the file has errors; nothing was changed)")
}
