package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"antq"
	"antq/geo"
	"antq/store"
)

func cmdGeoImport(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("geo import", "geo import FILE.geojson --valid-from YYYY-MM-DD [--valid-to YYYY-MM-DD] [--tolerance METRES]")
	from := fs.String("valid-from", "", "first day the boundaries hold (required), e.g. 2025-07-01")
	to := fs.String("valid-to", "", "last day they hold (default: still in force), e.g. 2025-06-30")
	tol := fs.Float64("tolerance", 0, "Douglas–Peucker tolerance in metres (default: 1/1500 of the layer's extent)")
	file, err := oneFileArg(fs, args, "cần đúng một tệp ranh giới GeoJSON (one GeoJSON file)")
	if err != nil {
		return err
	}
	if *tol < 0 {
		return antq.Invalid("Tham số không hợp lệ", map[string]string{"tolerance": "không được âm"})
	}
	layer := store.BoundaryLayer{File: file}
	if layer.ValidFrom, err = antq.ParseDate(*from); err != nil || *from == "" {
		return antq.Invalid("Tham số không hợp lệ", map[string]string{"valid-from": "bắt buộc, dạng YYYY-MM-DD"})
	}
	if *to != "" {
		if layer.ValidTo, err = antq.ParseDate(*to); err != nil {
			return antq.Invalid("Tham số không hợp lệ", map[string]string{"valid-to": "dạng YYYY-MM-DD"})
		}
	}
	f, err := os.Open(file)
	if err != nil {
		return antq.Errorf(antq.EINVALID, "không đọc được tệp %s: %v", file, err)
	}
	defer f.Close()
	c, err := geo.Parse(file, f)
	if err != nil {
		return err
	}
	before := 0
	for _, s := range c.Shapes {
		before += s.Points()
	}
	var used float64
	layer.Shapes, used = geo.Prepare(c, *tol)
	layer.Source = c.SourceOf(file)
	return app.withDB(ctx, true, func(db *store.DB) error {
		res, err := db.ImportBoundaries(antq.SystemContext(ctx), layer)
		if err != nil {
			return err
		}
		fmt.Fprintf(app.Stdout, "Đã nạp %d ranh giới: %d điểm sau khi đơn giản hóa (từ %d, dung sai %.0f m); %d khớp mã đơn vị.\n",
			res.Shapes, res.Points, before, used, res.Matched)
		if len(res.Unmatched) > 0 {
			fmt.Fprintf(app.Stdout, "Chưa có đơn vị trong thời gian hiệu lực cho %d mã: %s.\n", len(res.Unmatched), strings.Join(res.Unmatched, ", "))
		}
		return nil
	})
}
