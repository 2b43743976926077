package web_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"antq/indicator"
	"antq/yearend"
)

// Issue 16 item 13: the inbox has a commune column, filters by state and
// commune, and a select-all that needs no script; the failing list filters
// by why units fail. At 1,366 and 360 px.
func TestBrowserInboxAndFailingFilters(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)
	column := func(sel string) []string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(`+"`"+sel+"`"+`)].map(e => e.innerText.trim())`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, w := range []int64{1366, 360} {
		at := fmt.Sprintf(" at %d px", w)
		do(t, ctx, "inbox"+at, chromedp.EmulateViewport(w, 800), chromedp.Navigate(base+tourPlan+"/inbox"), chromedp.WaitReady(`main`))
		if h := column(`main table.list thead th:nth-child(3)`); len(h) != 1 || h[0] != "Xã, phường" {
			t.Fatalf("inbox%s: third column = %q", at, h)
		}
		communes := column(`main table.list tbody td:nth-child(3)`)
		if len(communes) == 0 || communes[0] == "—" {
			t.Fatalf("inbox%s: commune column = %q", at, communes)
		}
		// Filter on the first row's commune: every row is of that commune.
		code, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#in-commune option')].find(o => o.text === `+fmt.Sprintf("%q", communes[0])+`).value`))
		if err != nil || code == "" {
			t.Fatalf("inbox%s: no commune option %q: %v", at, communes[0], err)
		}
		do(t, ctx, "commune filter"+at, chromedp.Navigate(base+tourPlan+"/inbox?commune="+url.QueryEscape(code)), chromedp.WaitReady(`main`))
		for _, c := range column(`main table.list tbody td:nth-child(3)`) {
			if c != communes[0] {
				t.Errorf("inbox filtered on %s%s shows a row of %q", communes[0], at, c)
			}
		}
		// Filter on a state: every row is in it.
		do(t, ctx, "state filter"+at, chromedp.Navigate(base+tourPlan+"/inbox?state=reviewed"), chromedp.WaitReady(`main`))
		states := column(`main table.list tbody td:nth-child(5)`)
		if len(states) == 0 {
			t.Fatalf("inbox%s: no reviewed dossier in the demo", at)
		}
		for _, s := range states {
			if s != yearend.Reviewed.Label() {
				t.Errorf("inbox filtered on reviewed%s shows %q", at, s)
			}
		}
		// Select all: a link, and every box is ticked.
		do(t, ctx, "select all"+at, chromedp.Click(`a[href*="all=1"]`), chromedp.WaitReady(`main`))
		boxes, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`[...document.querySelectorAll('main input[name=unit]')].map(b => b.checked)`))
		if err != nil || len(boxes) != len(states) {
			t.Fatalf("select all%s: %d boxes for %d rows, %v", at, len(boxes), len(states), err)
		}
		for i, b := range boxes {
			if !b {
				t.Errorf("select all%s: box %d not ticked", at, i)
			}
		}
		// The failing list filtered by why units fail.
		do(t, ctx, "failing"+at, chromedp.Navigate(base+tourPlan+"/failing/recognition?unit=689&state="+string(indicator.FailWaiting)), chromedp.WaitReady(`main`))
		rows := column(`main table.list tbody td:nth-child(3)`)
		if len(rows) == 0 {
			t.Fatalf("failing%s: no unit waiting for its decision in the demo", at)
		}
		for _, s := range rows {
			if s != indicator.FailWaiting.Label() {
				t.Errorf("failing filtered on waiting%s shows %q", at, s)
			}
		}
		width, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.scrollingElement.scrollWidth`))
		if err != nil || width > w {
			t.Errorf("failing%s: page is %d px wide, %v", at, width, err)
		}
	}
}
