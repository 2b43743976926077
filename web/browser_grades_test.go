package web_test

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"antq"
	"antq/demo"
)

// phoneAndDesktop are the two widths layout checks run at.
var phoneAndDesktop = []struct {
	w, h  int64
	chart string // the chart layout shown at that width
}{{1366, 768, "svg.chart-wide"}, {360, 740, "svg.chart-narrow"}}

// TestBrowserGradeChart: on a phone and on a desktop the grade distribution
// shows "Chưa xếp loại" as its own bar, apart from "Yếu"; each bar is a link
// that lists its units, as many as the bar says.
func TestBrowserGradeChart(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)
	plan := base + "/plans/" + demo.PlanID
	count := regexp.MustCompile(`^(\d[\d.]*) \(`)
	for _, v := range phoneAndDesktop {
		do(t, ctx, "viewport", chromedp.EmulateViewport(v.w, v.h))
		do(t, ctx, "dashboard", chromedp.Navigate(plan+"/dashboard?unit=689"), chromedp.WaitVisible(`#grades `+v.chart))
		for _, b := range []struct{ grade, label string }{{"yeu", "Yếu"}, {"chua_xep_loai", "Chưa xếp loại"}} {
			sel := `#grades ` + v.chart + ` a[href*="grade=` + b.grade + `"]`
			title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+strconv.Quote(sel+` title`)+`).textContent`))
			if err != nil {
				t.Fatalf("%d px: bar %s: %v", v.w, b.grade, err)
			}
			if !strings.HasPrefix(title, b.label+": ") {
				t.Fatalf("%d px: bar %s is named %q", v.w, b.grade, title)
			}
			m := count.FindStringSubmatch(strings.TrimPrefix(title, b.label+": "))
			if m == nil {
				t.Fatalf("%d px: no count in %q", v.w, title)
			}
			want, _ := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
			// The bar is tall enough to tap.
			h, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector(`+strconv.Quote(sel)+`).getBoundingClientRect().height`))
			if err != nil || h < 24 {
				t.Errorf("%d px: bar %s is %.1f px tall, want ≥ 24", v.w, b.grade, h)
			}
			do(t, ctx, "drill down "+b.grade, chromedp.Click(sel), chromedp.WaitVisible(`h1`))
			if h1 := text(t, ctx, `h1`); h1 != "Xếp loại phong trào: "+b.label {
				t.Fatalf("%d px: after clicking %s, h1 = %q", v.w, b.grade, h1)
			}
			body := text(t, ctx, `main`)
			if !strings.Contains(body, "Thành phố Đồng Xoài: "+formatVN(want)+" đơn vị") {
				t.Errorf("%d px: the list of %s does not say %d units:\n%.400s", v.w, b.grade, want, body)
			}
			cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("table.list tbody td:nth-child(3)")].map(td => td.textContent)`))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cells {
				if c != b.label {
					t.Errorf("%d px: a unit graded %q is listed under %s", v.w, c, b.label)
					break
				}
			}
			if want > 0 && len(cells) == 0 {
				t.Errorf("%d px: %s lists no unit, the chart says %d", v.w, b.grade, want)
			}
			do(t, ctx, "back", chromedp.Navigate(plan+"/dashboard?unit=689"), chromedp.WaitVisible(`#grades `+v.chart))
		}
		screenshot(t, ctx, "grades-"+strconv.Itoa(int(v.w)))
	}
}

// formatVN writes n with the dot as thousands separator, as the pages do.
func formatVN(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// TestBrowserOwnHouseholdFigure: a commune's and a residential area's
// dashboards show their own household propaganda figure (households reached
// / households), at both widths, before and after the area reports.
func TestBrowserOwnHouseholdFigure(t *testing.T) {
	base, db := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)
	plan := base + "/plans/" + demo.PlanID
	card := `//article[contains(@class,"card")][.//a[contains(@href,"ind=propaganda_households")]]`
	check := func(step, code string, want ...string) {
		t.Helper()
		for _, v := range phoneAndDesktop {
			do(t, ctx, "viewport", chromedp.EmulateViewport(v.w, v.h))
			do(t, ctx, step+" "+code, chromedp.Navigate(plan+"/dashboard?unit="+code), chromedp.WaitVisible(`section.cards`))
			got := text(t, ctx, card)
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("%s, %s at %d px: the household card lacks %q:\n%s", step, code, v.w, w, got)
				}
			}
			if slices.ContainsFunc(strings.Split(got, "\n"), func(l string) bool { return strings.TrimSpace(l) == "—" }) {
				t.Errorf("%s, %s at %d px: the household card shows no figure:\n%s", step, code, v.w, got)
			}
		}
	}
	// The test commune (99001) has one area of 500 households and no figure.
	check("before", "99001-KDC01", "0\u00a0/\u00a0500 hộ được tuyên truyền", "khu dân cư chưa báo cáo", "Chỉ tiêu tính cho cấp xã")
	check("before", "99001", "0\u00a0/\u00a0500 hộ được tuyên truyền", "tổng của các khu dân cư (0\u00a0/\u00a01 khu dân cư đã báo cáo)", "Số xã đạt: 0\u00a0/\u00a01")
	sys := antq.SystemContext(context.Background())
	if _, err := db.PutPropaganda(sys, demo.PlanID, "99001-KDC01", antq.PropagandaInput{Reached: ptr(int64(420)), AsOf: antq.MustDate("2023-10-20")}); err != nil {
		t.Fatal(err)
	}
	check("after", "99001-KDC01", "84,0\u00a0%", "420\u00a0/\u00a0500 hộ được tuyên truyền", "số liệu của khu dân cư")
	check("after", "99001", "84,0\u00a0%", "420\u00a0/\u00a0500 hộ được tuyên truyền", "(1\u00a0/\u00a01 khu dân cư đã báo cáo)", "Đạt ngưỡng", "Số xã đạt: 1\u00a0/\u00a01")
}
