package web_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Issue 16 item 15: the header counts what the user has to act on; the
// landing dashboard, the inbox and the notices page list it (late dossiers
// in the demo, whose year is past). At 1,366 and 360 px.
func TestBrowserNotices(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)
	count := regexp.MustCompile(`^Việc cần làm \(([0-9]+)\)$`)
	for _, w := range []int64{1366, 360} {
		at := fmt.Sprintf(" at %d px", w)
		do(t, ctx, "home"+at, chromedp.EmulateViewport(w, 800), chromedp.Navigate(base+"/"), chromedp.WaitReady(`main`))
		link := strings.TrimSpace(text(t, ctx, `header a.notices-link`))
		m := count.FindStringSubmatch(link)
		if m == nil {
			t.Fatalf("header%s: %q", at, link)
		}
		n, _ := strconv.Atoi(m[1])
		if n == 0 {
			t.Fatalf("header%s counts no notice; the demo has late dossiers", at)
		}
		for _, page := range []string{"/", tourPlan + "/inbox", tourPlan + "/notices"} {
			do(t, ctx, page+at, chromedp.Navigate(base+page), chromedp.WaitReady(`main`))
			got := text(t, ctx, `main section.notices`)
			if !strings.Contains(got, "Quá hạn") || !strings.Contains(got, fmt.Sprintf("%d quá hạn", n)) || !regexp.MustCompile(`đã quá [0-9]+ ngày`).MatchString(got) {
				t.Errorf("%s%s: notices =\n%.600s", page, at, got)
			}
			width, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.scrollingElement.scrollWidth`))
			if err != nil || width > w {
				t.Errorf("%s%s: page is %d px wide, %v", page, at, width, err)
			}
		}
		// The notices page lists every one, each a link to its dossier.
		links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main section.notices li a')].map(a => a.getAttribute('href'))`))
		if err != nil || len(links) != n {
			t.Fatalf("notices page%s: %d links for %d notices, %v", at, len(links), n, err)
		}
		for _, l := range links {
			if !strings.Contains(l, "/dossiers/") {
				t.Errorf("notice link %q does not lead to a dossier", l)
			}
		}
	}
}
