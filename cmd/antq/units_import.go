package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"antq"
	"antq/store"
	"antq/unitfile"
)

const unitsImportHelp = `
Nhập đơn vị từ một tệp CSV (UTF-8) hoặc XLSX (trang tính đầu tiên); tất cả hoặc
không gì cả: tệp có lỗi thì không nhập đơn vị nào và mọi lỗi được liệt kê
(tệp:dòng [cột]: lý do).
Imports units from one CSV (UTF-8) or XLSX file (first sheet), all or nothing:
a file with any error changes nothing, and every error is listed as
file:row [column]: reason.

Dòng đầu là tiêu đề; thứ tự cột tùy ý, không phân biệt hoa thường.
The first row is the header; columns in any order, names case-insensitive.

1. Bố cục vn-admin (the vn-admin layout, as in data/vn-admin/units-*.csv):
     level,code,name,type,parent_code
     province,70,Tỉnh Bình Phước,Tỉnh,
     district,689,Thành phố Đồng Xoài,Thành phố,70
     commune,25195,Phường Tân Phú,Phường,689
   level: province | district | commune.

2. Bố cục mở rộng (the extended layout, for residential areas and
   organisations): the same five columns, level may be any kind —
     nation, province, district, commune, residential_area, agency,
     enterprise, school, religious_org, socio_political_org —
   plus any of these optional columns:
     households, staff, pupils   số nguyên không âm (whole numbers ≥ 0)
     size_as_of                  ngày của số liệu (date of the counts; default valid_from)
     managing_level              central | province | district | commune
                                 (default: from the parent's kind)
     armed_forces, small_enterprise, primary_school,
     budget_funded               (socio_political_org funded by the state budget: competes as an agency),
     no_legal_entity             (enterprise without legal personality)
                                 true/false, 1/0, x, có/không (empty = false)
     valid_from, valid_to        YYYY-MM-DD or dd/mm/yyyy (default: the flags)
   Example:
     level,code,name,type,parent_code,households,staff,pupils,primary_school
     residential_area,25195-KDC01,Khu phố 1,Khu phố,25195,420,,,
     school,25195-TH01,Trường Tiểu học Tân Phú,Tiểu học,25195,,38,760,x

Mã giữ nguyên dạng chữ với số 0 ở đầu (codes are text: keep "01", format the
column as Text in Excel). The parent is looked up in the file, then in the
database, in force on the unit's valid_from.

Cờ (flags):
`

func cmdUnitsImport(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("units import", "units import [--valid-from YYYY-MM-DD] [--valid-to YYYY-MM-DD] FILE.csv|FILE.xlsx")
	validFrom := fs.String("valid-from", "", "ngày bắt đầu hiệu lực cho dòng không có cột valid_from (valid_from for rows without one)")
	validTo := fs.String("valid-to", "", "ngày hết hiệu lực cho dòng không có cột valid_to; trống = còn hiệu lực (valid_to default; empty = open-ended)")
	sizeAsOf := fs.String("size-as-of", "", "ngày của số hộ/người khi tệp không ghi (date of the counts; default: valid_from)")
	app.setLongUsage(fs, "Cách dùng (usage): antq units import [--valid-from YYYY-MM-DD] [--valid-to YYYY-MM-DD] FILE.csv|FILE.xlsx", unitsImportHelp)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return antq.Errorf(antq.EINVALID, "cần đúng một tệp (need exactly one FILE)")
	}
	var opts unitfile.Options
	for _, d := range []struct {
		flag, value string
		dst         *antq.Date
	}{{"--valid-from", *validFrom, &opts.ValidFrom}, {"--valid-to", *validTo, &opts.ValidTo}, {"--size-as-of", *sizeAsOf, &opts.SizeAsOf}} {
		v, err := antq.ParseDate(d.value)
		if err != nil {
			return antq.Errorf(antq.EINVALID, "%s: %v", d.flag, err)
		}
		*d.dst = v
	}

	return app.withDB(ctx, true, func(db *store.DB) error {
		start := time.Now()
		recs, err := unitfile.ReadFile(files[0], opts)
		if err != nil {
			return reportImportErrors(app, err)
		}
		readTime := time.Since(start)
		res, err := db.ImportUnits(antq.SystemContext(ctx), files[0], recs)
		if err != nil {
			return reportImportErrors(app, err)
		}
		total := time.Since(start)

		fmt.Fprintf(app.Stdout, "Đã nhập %d đơn vị từ %s (imported %d units):\n", res.Units, files[0], res.Units)
		for _, c := range res.ByKind {
			fmt.Fprintf(app.Stdout, "  %-20s %9d  %s\n", c.Kind, c.Count, c.Kind.Label())
		}
		fmt.Fprintf(app.Stdout, "  %-20s %9d\n", "sizes", res.Sizes)
		fmt.Fprintf(app.Stdout, "Thời gian (time): đọc tệp (read) %.2f s, ghi (write) %.2f s, tổng (total) %.2f s — %.0f dòng/giây (rows/s)\n",
			readTime.Seconds(), res.Duration.Seconds(), total.Seconds(), float64(res.Units)/total.Seconds())
		return nil
	})
}

// reportImportErrors prints every row error on stderr, one per line, and
// returns an EINVALID error (exit code 2); other errors pass through.
func reportImportErrors(app *App, err error) error {
	var ie antq.ImportErrors
	if !errors.As(err, &ie) {
		return err
	}
	for _, e := range ie {
		fmt.Fprintln(app.Stderr, strings.ReplaceAll(e.Error(), "\n", " "))
	}
	return antq.Errorf(antq.EINVALID, "tệp có lỗi, không nhập đơn vị nào (the file has errors; nothing was imported)")
}
