package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserNoPageWiderThanPhone opens every page of the tour on a 360-px
// phone and measures the page: nothing may make it scroll sideways (a wide
// table scrolls inside its own frame). A long <option> text is what widened
// the data-entry pages to 925 px.
func TestBrowserNoPageWiderThanPhone(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	const width = 360
	do(t, ctx, "viewport", chromedp.EmulateViewport(width, 740, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	loggedIn := false
	for _, p := range tourPages {
		if !p.anonymous && !loggedIn {
			login(t, ctx, base)
			do(t, ctx, "viewport", chromedp.EmulateViewport(width, 740, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
			loggedIn = true
		}
		do(t, ctx, p.name, chromedp.Navigate(base+p.path), chromedp.WaitReady(`main`))
		got, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.scrollingElement.scrollWidth`))
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		if got > width {
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > `+"360.5"+` && !e.closest(".table-wrap")).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : "") + " → " + Math.round(e.getBoundingClientRect().right) + " px")`))
			t.Errorf("%s (%s) is %d px wide on a %d-px screen; widest: %v", p.name, p.path, got, width, wide)
		}
	}
}
