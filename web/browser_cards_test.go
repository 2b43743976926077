package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// brokenFigures is a script that returns every percentage or fraction on the
// page that the browser lays out on more than one line, and every one
// written with an ordinary space (which could break).
const brokenFigures = `(() => {
  const out = [];
  const re = /\d[\d.,]*(\u00a0| )(%|\/(\u00a0| )\d[\d.]*)/g;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('svg, script, style, details:not([open])') || !el.offsetParent) continue;
    for (const m of n.data.matchAll(re)) {
      if (m[0].includes(' ') && !/^\d+ \d/.test(m[0])) { out.push('ordinary space: ' + m[0]); continue; }
      const r = document.createRange();
      r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
      if (tops.size > 1) out.push('broken across lines: ' + m[0]);
    }
  }
  return out;
})()`

// Issue 16 item 16: every card has a progress bar to its target and says
// what its denominator counts out of how many; no figure breaks across
// lines; the page has its icon. At 1,366 and 360 px.
func TestBrowserDashboardCards(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)
	for _, w := range []int64{1366, 360} {
		for _, path := range []string{tourPlan + "/dashboard?unit=70", tourPlan + "/dashboard?unit=25195", tourPlan + "/failing/recognition?unit=689", tourPlan + "/inbox"} {
			name := fmt.Sprintf("%s at %d px", path, w)
			do(t, ctx, name, chromedp.EmulateViewport(w, 800), chromedp.Navigate(base+path), chromedp.WaitReady(`main`))
			broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](brokenFigures))
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range broken {
				t.Errorf("%s: %s", name, b)
			}
			width, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.scrollingElement.scrollWidth`))
			if err != nil || width > w {
				t.Errorf("%s: page is %d px wide, %v", name, width, err)
			}
			if !strings.Contains(path, "dashboard") {
				continue
			}
			cards, err := chromedp.Run(ctx, chromedp.Evaluate[[]map[string]any](`[...document.querySelectorAll('.card')].map(c => ({
  title: c.querySelector('h2').innerText,
  bar: !!c.querySelector('svg.progress'),
  caption: (c.querySelector('.bar-caption') || {}).innerText || '',
  denominator: [...c.querySelectorAll('.denominator li')].map(li => li.innerText),
  nodata: c.classList.contains('nodata'),
  bigLines: (() => { const b = c.querySelector('.big'); const r = document.createRange(); r.selectNodeContents(b); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })()
}))`))
			if err != nil || len(cards) == 0 {
				t.Fatalf("%s: cards %v, %v", name, cards, err)
			}
			for _, c := range cards {
				if c["nodata"] == true {
					continue
				}
				if c["bar"] != true || c["caption"] == "" {
					t.Errorf("%s: card %q has no progress bar to its target (%v)", name, c["title"], c)
				}
				den, _ := c["denominator"].([]any)
				if len(den) == 0 {
					t.Errorf("%s: card %q does not explain its denominator", name, c["title"])
				}
				for _, d := range den {
					line := fmt.Sprint(d)
					if strings.HasPrefix(line, "Căn cứ") {
						continue
					}
					if !strings.Contains(line, " trên ") || !(strings.Contains(line, "thuộc diện") || strings.Contains(line, "đã đăng ký")) {
						t.Errorf("%s: card %q explains its denominator as %q", name, c["title"], line)
					}
				}
				if n, _ := c["bigLines"].(float64); n != 1 {
					t.Errorf("%s: card %q's percentage takes %v lines", name, c["title"], n)
				}
			}
			icon, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('link[rel~=icon]') || {}).href || ''`))
			if err != nil || !strings.Contains(icon, "favicon") {
				t.Errorf("%s: no favicon (%q, %v)", name, icon, err)
			}
		}
	}
	// The province's recognition card names what its denominator counts.
	do(t, ctx, "desktop", chromedp.EmulateViewport(1366, 800), chromedp.Navigate(base+tourPlan+"/dashboard?unit=689"), chromedp.WaitReady(`main`))
	got := text(t, ctx, `.cards`)
	if !strings.Contains(got, "khu dân cư đã đăng ký phấn đấu trên") || !strings.Contains(got, "chỉ tiêu 70\u00a0%") {
		t.Errorf("Đồng Xoài's cards:\n%.1500s", got)
	}
}
