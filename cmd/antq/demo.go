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
	fs := app.newFlagSet("demo", "demo [--scale bp|nation] [--db URL] [--data DIR]")
	scale := fs.String("scale", "bp", "bp: tỉnh Bình Phước 2023 và Thành phố Đồng Nai 2026 dưới đơn vị gốc Việt Nam (the demo); nation: cả nước 2025, ~600.000 đơn vị (the benchmark nation)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *scale != "bp" && *scale != "nation" {
		return antq.Invalid("Tham số không hợp lệ", map[string]string{"scale": "chỉ nhận bp hoặc nation"})
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		sys := antq.SystemContext(ctx)
		if n, err := demo.LoadBoundaries(sys, db); err != nil {
			return err
		} else {
			fmt.Fprintf(app.Stdout, "Đã nạp %d ranh giới hành chính cho bản đồ.\n", n)
		}
		if *scale == "nation" {
			return demoNation(sys, app, db)
		}
		loaded, err := demo.LoadUnitsUnderNation(sys, db)
		if err != nil {
			return err
		}
		if loaded {
			fmt.Fprintln(app.Stdout, "Đã nạp đơn vị mẫu tỉnh Bình Phước 2023 (lịch sử, dưới đơn vị gốc Việt Nam).")
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
			ap, err := demo.LoadApprovals(sys, db)
			if err != nil {
				return err
			}
			fmt.Fprintf(app.Stdout, "Số liệu chờ duyệt: %d (trong đó %d bản đăng ký của cơ quan, doanh nghiệp, trường), bị trả lại: %d (%d bản đăng ký); còn lại đã duyệt.\n",
				ap.Submitted, ap.RegistrationsSubmitted, ap.Returned, ap.RegistrationsReturned)
		}
		if loaded, err := demo.LoadClusters(sys, db); err != nil {
			return err
		} else if loaded {
			fmt.Fprintln(app.Stdout, "Đã lập 2 cụm thi đua các huyện và Khối thi đua số 6 năm 2023 (đang chấm điểm).")
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
		if t, loaded, err := demo.LoadToday(sys, db); err != nil {
			return err
		} else if loaded {
			f := t.Facts
			d, r, sub, dr := t.YearEnd.Counts()
			fmt.Fprintf(app.Stdout, "Đã áp dụng sắp xếp đơn vị hành chính 2025 (%d dòng) và thay đổi 30/04/2026 (%d dòng); nạp %s đơn vị của Thành phố Đồng Nai, kế hoạch %s, số liệu năm 2026: %s đăng ký, %s số liệu tuyên truyền, %s mô hình, %s kết quả công nhận, %s xếp loại; hồ sơ cuối năm của Phường Đồng Xoài: %d đã quyết định, %d chờ quyết định, %d chờ thẩm định, %d đang lập (%.1f s).\n",
				t.Reform.Rows, t.Changes2026.Rows, thousands(t.Units), demo.TodayPlanID, thousands(f.Registrations), thousands(f.Propaganda),
				thousands(f.Models), thousands(f.Recognitions), thousands(f.Grades), d, r, sub, dr, t.Duration.Seconds())
		}
		if loaded, err := demo.LoadTodayCluster(sys, db); err != nil {
			return err
		} else if loaded {
			fmt.Fprintf(app.Stdout, "Đã lập Cụm thi đua số 1 năm 2026 của %d xã, phường Thành phố Đồng Nai, chấm theo bảng điểm %s (đang chấm điểm).\n",
				len(demo.TodayClusterMembers), demo.TodaySheetID)
		}
		if ex, loaded, err := demo.LoadExemplars(sys, db); err != nil {
			return err
		} else if loaded {
			fmt.Fprintf(app.Stdout, "Đã nạp %d cá nhân và gương người tốt, việc tốt: %d đã công bố trên trang công khai, %d chờ thẩm tra.\n",
				ex.People, ex.Published, ex.InReview)
		}
		if rg, loaded, err := demo.LoadRegistry(sys, db); err != nil {
			return err
		} else if loaded {
			fmt.Fprintf(app.Stdout, "Đã ghi vào sổ mô hình năm 2023: %d mô hình của xã được nhân rộng ở %d nơi.\n", rg.Origins, rg.Replications)
		}
		if aw, loaded, err := demo.LoadAwards(sys, db); err != nil {
			return err
		} else if loaded {
			fmt.Fprintf(app.Stdout, "Đã nạp hồ sơ khen thưởng cuối năm 2023: %d đã có quyết định, %d chờ quyết định, %d đang lập.\n",
				aw.Decided, aw.Submitted, aw.Drafts)
		}
		root := demo.DemoNationCode
		if _, err := db.FindUnitByCode(sys, root, antq.Date{}); antq.ErrorCode(err) == antq.ENOTFOUND {
			root = demo.RootCode // a data directory loaded before the nation root existed
		} else if err != nil {
			return err
		}
		return ensureAdmin(sys, app, db, root)
	})
}

// demoNation builds the nation-scale demo (idempotent: a second run
// changes nothing).
func demoNation(sys context.Context, app *App, db *store.DB) error {
	start := time.Now()
	res, err := demo.LoadNation(sys, db, demo.NationOptions{})
	if err != nil {
		return err
	}
	if res.History > 0 {
		fmt.Fprintf(app.Stdout, "Đã nạp %s đơn vị hành chính cả nước trước ngày 01/07/2025 (cả nước, tỉnh, huyện, xã).\n", thousands(res.History))
	}
	if r := res.Reform; r != nil {
		fmt.Fprintf(app.Stdout, "Đã áp dụng sắp xếp đơn vị hành chính 2025 qua tệp sắp xếp (%s dòng): %s đơn vị kết thúc ngày 30/06/2025, %s tỉnh, thành phố và xã, phường, đặc khu mới (%.1f s).\n",
			thousands(r.Rows), thousands(r.Ended), thousands(r.Created), r.Duration.Seconds())
	}
	if res.Units > 0 {
		k := res.UnitsByKind
		orgs := res.Units - k[antq.KindNation] - k[antq.KindProvince] - k[antq.KindCommune] - k[antq.KindResidentialArea]
		fmt.Fprintf(app.Stdout, "Đã nạp %s đơn vị dưới các tỉnh, xã mới (%s khu dân cư; %s cơ quan, doanh nghiệp, trường học, tổ chức) trong %.1f s.\n",
			thousands(res.Units), thousands(k[antq.KindResidentialArea]), thousands(orgs), res.UnitsTime.Seconds())
	} else {
		fmt.Fprintln(app.Stdout, "Đơn vị cả nước đã có sẵn; không nạp lại.")
	}
	if r := res.Changes2026; r != nil {
		fmt.Fprintf(app.Stdout, "Đã áp dụng thay đổi ngày 30/04/2026 (Thành phố Đồng Nai; %d dòng) qua tệp sắp xếp.\n", r.Rows)
	}
	if res.PlanLoaded {
		fmt.Fprintf(app.Stdout, "Đã nạp kế hoạch mẫu %s (dữ liệu mẫu, không phải văn bản thật).\n", demo.NationPlanID)
	}
	if f := res.Facts; f != nil {
		fmt.Fprintf(app.Stdout, "Đã nạp số liệu năm 2025: %s đăng ký, %s số liệu tuyên truyền, %s mô hình, %s kết quả công nhận, %s xếp loại (%.1f s).\n",
			thousands(f.Registrations), thousands(f.Propaganda), thousands(f.Models), thousands(f.Recognitions), thousands(f.Grades), f.Duration.Seconds())
	} else {
		fmt.Fprintln(app.Stdout, "Số liệu năm 2025 đã có sẵn; không nạp lại.")
	}
	if r := res.Rebuild; r != nil {
		fmt.Fprintf(app.Stdout, "Đã tính chỉ tiêu cho %s đơn vị (%.1f s).\n", thousands(r.Units), r.Duration.Seconds())
	}
	fmt.Fprintf(app.Stdout, "Xong trong %.1f s. Tổng quan: /plans/%s/dashboard\n", time.Since(start).Seconds(), demo.NationPlanID)
	return ensureAdmin(sys, app, db, demo.NationCode)
}

// thousands writes n with Vietnamese digit grouping: 1.234.567.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// ensureAdmin creates the admin account of the demo, at the unit with code,
// the first time and prints its password once; later runs leave it alone.
func ensureAdmin(ctx context.Context, app *App, db *store.DB, unitCode string) error {
	if _, err := db.FindUserByUsername(ctx, "admin"); err == nil {
		fmt.Fprintln(app.Stdout, "Tài khoản admin đã có (mật khẩu đã in ở lần nạp đầu).")
		return nil
	} else if antq.ErrorCode(err) != antq.ENOTFOUND {
		return err
	}
	password := auth.RandomPassword(16)
	hash, err := hashPassword(ctx, password)
	if err != nil {
		return err
	}
	if _, err := db.CreateUser(ctx, store.NewUser{Username: "admin", FullName: "Quản trị hệ thống", Role: antq.RoleAdmin,
		UnitCode: unitCode, PasswordHash: hash}); err != nil {
		return err
	}
	fmt.Fprintf(app.Stdout, "Tài khoản quản trị: admin / %s  (chỉ in một lần — hãy lưu lại)\n", password)
	return nil
}
