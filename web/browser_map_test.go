package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"antq/demo"
)

// The province's map of its 11 districts, on a wide screen and on a 360-px
// phone: every district is drawn and fits the screen, the legend names the
// target, a click on a district drills down to its map (as the bars do),
// and the page prints.
func TestBrowserMap(t *testing.T) {
	base, _ := demoServer(t) // with the demo's boundaries
	ctx := browser(t)
	login(t, ctx, base)
	for _, width := range []int64{1280, 360} {
		do(t, ctx, "viewport", chromedp.EmulateViewport(width, 800))
		do(t, ctx, "open the map",
			chromedp.Navigate(base+"/plans/"+demo.PlanID+"/dashboard?unit=70&ind=recognition"),
			chromedp.WaitVisible(`section.cards`),
			chromedp.Click(`a[href*="/map?"]`),
			chromedp.WaitVisible(`svg.map`))
		if h1 := text(t, ctx, `h1`); h1 != "Bản đồ: Tỉnh Bình Phước" {
			t.Fatalf("%d px: h1 = %q", width, h1)
		}
		regions := eval[int](t, ctx, `document.querySelectorAll('svg.map a.region').length`)
		mapW := eval[float64](t, ctx, `document.querySelector('svg.map').getBoundingClientRect().width`)
		pageW := eval[float64](t, ctx, `document.documentElement.scrollWidth`)
		viewW := eval[float64](t, ctx, `window.innerWidth`)
		if regions != 11 || mapW < 300 || mapW > viewW || pageW > viewW {
			t.Fatalf("%d px: %d regions, map %.0f px wide, page %.0f px in a %.0f-px window", width, regions, mapW, pageW, viewW)
		}
		if got := text(t, ctx, `.map-legend`); !strings.Contains(got, "chỉ tiêu 70 %") || !strings.Contains(got, "đơn vị") {
			t.Fatalf("%d px: legend = %q", width, got)
		}
		// The region's colour is the one its legend class shows.
		fill := eval[string](t, ctx, `document.querySelector('svg.map a.region[data-code="689"] path').getAttribute('fill')`)
		legendFill := eval[string](t, ctx, `(() => { const c = document.querySelector('svg.map a.region[data-code="689"]').classList[1].slice(2);
				return document.querySelector('.map-legend li[data-class="' + c + '"] rect').getAttribute('fill') })()`)
		if fill == "" || fill != legendFill {
			t.Fatalf("%d px: Đồng Xoài filled %q, its legend class %q", width, fill, legendFill)
		}
		screenshot(t, ctx, "map-province-"+strconv.FormatInt(width, 10))
		do(t, ctx, "click a district",
			chromedp.Click(`svg.map a.region[data-code="689"]`),
			chromedp.WaitVisible(`nav.crumbs a`))
		if h1 := text(t, ctx, `h1`); h1 != "Bản đồ: Thành phố Đồng Xoài" {
			t.Fatalf("%d px: after the click h1 = %q", width, h1)
		}
		if got := text(t, ctx, `main`); !strings.Contains(got, "Chưa có ranh giới hành chính của các đơn vị trực thuộc") {
			t.Fatalf("%d px: the district's page does not say its communes have no boundaries", width)
		}
	}
	// It prints: Chromium renders the page to PDF (print style sheet).
	do(t, ctx, "wide again", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/plans/"+demo.PlanID+"/map?unit=70"), chromedp.WaitVisible(`svg.map`))
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pdf), "%PDF") || len(pdf) < 10_000 {
		t.Fatalf("printed map: %d bytes", len(pdf))
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}
