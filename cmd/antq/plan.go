package main

import (
	"context"
	"fmt"

	"antq"
	"antq/store"
)

func cmdPlanLoad(ctx context.Context, app *App, args []string) error {
	file, body, err := app.loadFileArg("plan load", "plan load FILE.json   (format: rules/README.md)", args, "cần đúng một tệp kế hoạch (one plan file)")
	if err != nil {
		return err
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		sys := antq.SystemContext(ctx)
		p, err := db.LoadPlan(sys, file, body)
		if err != nil {
			return err
		}
		fmt.Fprintf(app.Stdout, "Đã nạp kế hoạch %s: %s (%s, năm %d, đơn vị gốc %s).\n", p.ID, p.Title, p.Document.Number, p.Year, p.RootUnit)
		if res, err := db.Rebuild(sys, p.ID); err == nil {
			fmt.Fprintf(app.Stdout, "Đã tính chỉ tiêu cho %d đơn vị (%v).\n", res.Units, res.Duration.Round(1e6))
		} else if antq.ErrorCode(err) != antq.ENOTFOUND {
			return err
		}
		return nil
	})
}

func cmdSheetLoad(ctx context.Context, app *App, args []string) error {
	file, body, err := app.loadFileArg("sheet load", "sheet load FILE.json   (format: rules/README.md, scoring sheets)", args, "cần đúng một tệp bảng điểm (one sheet file)")
	if err != nil {
		return err
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		s, err := db.LoadSheet(antq.SystemContext(ctx), file, body)
		if err != nil {
			return err
		}
		fmt.Fprintf(app.Stdout, "Đã nạp bảng điểm %s phiên bản %d: %s (kế hoạch %s, tối đa %s điểm).\n", s.ID, s.Version, s.Title, s.Plan, s.Max().VN())
		return nil
	})
}

// loadFileArg runs the preamble of a command whose only argument is a file
// to load (a plan, a sheet): it parses args, requires the one file (missing
// says what it is) and returns its name and contents.
func (app *App) loadFileArg(name, synopsis string, args []string, missing string) (file string, body []byte, err error) {
	fs := app.newFlagSet(name, synopsis)
	if file, err = oneFileArg(fs, args, missing); err != nil {
		return "", nil, err
	}
	if body, err = readInputFile(file); err != nil {
		return "", nil, err
	}
	return file, body, nil
}

func cmdRebuild(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("rebuild", "rebuild [--plan ID] [--check]")
	planID := fs.String("plan", "", "rebuild one plan (default: every plan whose root unit is loaded)")
	check := fs.Bool("check", false, "compare the maintained figures with the rebuilt ones and fail if they differ")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		sys := antq.SystemContext(ctx)
		var plans []string
		if *planID != "" {
			plans = []string{*planID}
		} else {
			c, err := db.Catalog(sys)
			if err != nil {
				return err
			}
			for _, p := range c.Plans() {
				plans = append(plans, p.ID)
			}
		}
		for _, id := range plans {
			before, err := db.IndicatorState(sys, id)
			if err != nil {
				return err
			}
			res, err := db.Rebuild(sys, id)
			if antq.ErrorCode(err) == antq.ENOTFOUND && *planID == "" {
				continue
			} else if err != nil {
				return err
			}
			fmt.Fprintf(app.Stdout, "%s: %d đơn vị, %v\n", id, res.Units, res.Duration.Round(1e6))
			if *check && before == "" {
				// Nothing maintained to compare: never built, or the build
				// was invalidated (a unit import) and is made now.
				fmt.Fprintf(app.Stdout, "%s: chưa có số liệu duy trì để so sánh (vừa lập mới).\n", id)
			}
			if *check && before != "" {
				after, err := db.IndicatorState(sys, id)
				if err != nil {
					return err
				}
				if before != after {
					return antq.Errorf(antq.ECONFLICT, "kế hoạch %s: số liệu duy trì khác số liệu tính lại (đã sửa bằng bản tính lại)", id)
				}
				fmt.Fprintf(app.Stdout, "%s: số liệu duy trì khớp số liệu tính lại.\n", id)
			}
		}
		return nil
	})
}
