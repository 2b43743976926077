package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"antq/demo"
)

// The accessibility check: axe-core (vendored in testdata/axe-core, never
// fetched) with every rule of WCAG 2.0, 2.1 and 2.2 at levels A and AA, and
// the checks axe cannot make (testdata/a11y_checks.js: reflow, chart text
// size, target size with its exceptions, colour-only state, field border
// contrast, errors tied to fields, unique names, skip link), on every page
// of the tour at a phone's and a desktop's width.

const axeSHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c" // axe-core 4.14.1

var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// a11yWidths are the viewports every page is checked at: a phone and a
// desktop with axe and the DOM checks, and the 320 px of WCAG 1.4.10 with
// the DOM checks only (reflow, chart text, targets).
var a11yWidths = []struct {
	w, h int64
	axe  bool
}{{360, 740, true}, {1366, 768, true}, {320, 640, false}}

var a11yScripts = sync.OnceValues(func() ([2]string, error) {
	axe, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
	if err != nil {
		return [2]string{}, err
	}
	if sum := sha256.Sum256(axe); hex.EncodeToString(sum[:]) != axeSHA256 {
		return [2]string{}, fmt.Errorf("testdata/axe-core/axe.min.js is not axe-core 4.14.1 (sha256 %x); see its README", sum)
	}
	checks, err := os.ReadFile(filepath.Join("testdata", "a11y_checks.js"))
	return [2]string{string(axe), string(checks)}, err
})

type axeResults struct {
	Violations []struct {
		ID, Impact, Help string
		Tags             []string
		Nodes            []struct {
			Target         []any
			HTML           string
			FailureSummary string
		}
	}
}

// audit runs axe (when withAxe) and the DOM checks on the page the browser
// shows and returns what they found, one line per violation or problem.
func audit(t *testing.T, ctx context.Context, withAxe bool) (violations, problems []string) {
	t.Helper()
	scripts, err := a11yScripts()
	if err != nil {
		t.Fatal(err)
	}
	if withAxe {
		violations = runAxe(t, ctx, scripts[0])
	}
	problems, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](scripts[1]))
	if err != nil {
		t.Fatalf("DOM checks: %v", err)
	}
	return violations, problems
}

// runAxe injects axe-core (the page's CSP does not apply to the DevTools
// protocol) and runs every WCAG 2.x A and AA rule.
func runAxe(t *testing.T, ctx context.Context, axe string) (violations []string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	tags, _ := json.Marshal(axeTags)
	run := fmt.Sprintf(`axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})`, tags)
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResults](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	for _, v := range res.Violations {
		for _, n := range v.Nodes {
			violations = append(violations, fmt.Sprintf("axe %s (%s, %s): %s\n\t\t%v %.200s\n\t\t%s", v.ID, v.Impact,
				strings.Join(v.Tags, " "), v.Help, n.Target, n.HTML, strings.ReplaceAll(n.FailureSummary, "\n", " ")))
		}
	}
	return violations
}

// a11yRun counts what the checks looked at and found.
type a11yRun struct {
	axeViews, domViews, violations, problems int
}

// check audits the page the browser shows, at the current width, and fails
// the test on anything found.
func (a *a11yRun) check(t *testing.T, ctx context.Context, width int64, withAxe bool, name string) {
	t.Helper()
	v, p := audit(t, ctx, withAxe)
	a.domViews++
	if withAxe {
		a.axeViews++
	}
	a.violations += len(v)
	a.problems += len(p)
	for _, s := range v {
		t.Errorf("%s at %d px: %s", name, width, s)
	}
	for _, s := range p {
		t.Errorf("%s at %d px: %s", name, width, s)
	}
	if width == 360 { // the phone's view; the tour keeps the desktop's
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
		if err != nil { // a very long page can exceed Chromium's limit
			t.Logf("screenshot of %s: %v", name, err)
			return
		}
		if err := os.WriteFile(filepath.Join(artifacts(t), fmt.Sprintf("a11y-%d-%s.jpg", width, name)), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBrowserAccessibility(t *testing.T) {
	if _, err := a11yScripts(); err != nil {
		t.Fatal(err)
	}
	base, _ := demoServer(t)
	ctx := browser(t)
	var run a11yRun
	visit := func(width int64, withAxe bool, p tourPage) {
		t.Helper()
		do(t, ctx, p.name, chromedp.Navigate(base+p.path), chromedp.WaitReady(`main`))
		if body := text(t, ctx, `main`); !strings.Contains(body, p.want) {
			t.Errorf("%s (%s) does not show %q:\n%.300s", p.name, p.path, p.want, body)
		}
		run.check(t, ctx, width, withAxe, p.name)
	}
	for _, anonymous := range []bool{true, false} {
		if !anonymous {
			login(t, ctx, base)
		}
		for _, v := range a11yWidths {
			do(t, ctx, "viewport", chromedp.EmulateViewport(v.w, v.h))
			for _, p := range tourPages {
				if p.anonymous == anonymous {
					visit(v.w, v.axe, p)
				}
			}
		}
	}

	// The same pages in the states a user meets after a refused submission:
	// field errors, tied to their fields.
	plan := base + "/plans/" + demo.PlanID
	for _, v := range a11yWidths {
		do(t, ctx, "viewport", chromedp.EmulateViewport(v.w, v.h))
		do(t, ctx, "propaganda larger than the total",
			chromedp.Navigate(plan+"/units/99001-KDC01"), chromedp.WaitVisible(`#reached`),
			chromedp.SendKeys(`#reached`, "600"), chromedp.SetValue(`#as_of`, "2023-10-20"),
			chromedp.Click(`#propaganda button[type=submit]`), chromedp.WaitVisible(`#reached-err`))
		run.check(t, ctx, v.w, v.axe, "facts-errors")
		do(t, ctx, "model without a name",
			chromedp.Navigate(plan+"/units/99001-KDC01"), chromedp.WaitVisible(`#m-name`),
			chromedp.SendKeys(`#m-name`, " "), chromedp.SetValue(`#m-members`, "nhiều"),
			chromedp.Click(`#model .fact-form button[type=submit]`), chromedp.WaitVisible(`#model .field-error`))
		run.check(t, ctx, v.w, v.axe, "model-errors")
		do(t, ctx, "wrong current password",
			chromedp.Navigate(base+"/account"), chromedp.WaitVisible(`#current_password`),
			chromedp.SendKeys(`#current_password`, "không đúng"), chromedp.SendKeys(`#new_password`, "mật khẩu mới đủ dài"),
			chromedp.SendKeys(`#confirm_password`, "mật khẩu khác hẳn"+kb.Enter), chromedp.WaitVisible(`.field-error`))
		run.check(t, ctx, v.w, v.axe, "account-errors")
		do(t, ctx, "bulk step with nothing ticked",
			chromedp.Navigate(plan+"/inbox"), chromedp.WaitVisible(`form[method=post] button[type=submit]`),
			chromedp.Click(`form[method=post] fieldset button[type=submit]`), chromedp.WaitVisible(`.error`))
		run.check(t, ctx, v.w, v.axe, "inbox-errors")
		do(t, ctx, "decision without a number",
			chromedp.Navigate(plan+"/units/"+reviewedDossier+"/dossiers/recognition"), chromedp.WaitVisible(`form.action-decide`),
			chromedp.Click(`form.action-decide button`), chromedp.WaitVisible(`.field-error`))
		run.check(t, ctx, v.w, v.axe, "dossier-errors")
		// The account pages (issue 16 item 14): a refusal at the field, a
		// refused list, the sheet of first passwords, a confirmation.
		newName := fmt.Sprintf("kiem-tra-%d", v.w)
		do(t, ctx, "account with a unit out of reach",
			chromedp.Navigate(base+"/users/new"), chromedp.WaitVisible(`#username`),
			chromedp.SendKeys(`#username`, newName), chromedp.SetValue(`#unit`, "khong-co"),
			chromedp.Submit(`#username`), chromedp.WaitVisible(`#unit-err`))
		run.check(t, ctx, v.w, v.axe, "user-new-errors")
		do(t, ctx, "account list with a bad line",
			chromedp.Navigate(base+"/users/import"), chromedp.WaitVisible(`#list`),
			chromedp.SetValue(`#list`, "nguoi-a; Người A; 99001; không có"), chromedp.Submit(`#list`), chromedp.WaitVisible(`#list-err`))
		run.check(t, ctx, v.w, v.axe, "user-import-errors")
		do(t, ctx, "sheet of first passwords",
			chromedp.Navigate(base+"/users/new"), chromedp.WaitVisible(`#username`),
			chromedp.SendKeys(`#username`, newName), chromedp.SetValue(`#unit`, "99001"),
			chromedp.Submit(`#username`), chromedp.WaitVisible(`.first-password`))
		run.check(t, ctx, v.w, v.axe, "user-sheet")
		do(t, ctx, "lock confirmation",
			chromedp.Navigate(base+"/users/"+newName), chromedp.WaitVisible(`form[action$="/state"] button`),
			chromedp.Click(`form[action$="/state"] button`), chromedp.WaitVisible(`form[action$="/state"] #reason`))
		run.check(t, ctx, v.w, v.axe, "user-confirm")
	}
	t.Logf("accessibility: axe-core on %d pages at 360 and 1,366 px (%d views): %d violations of WCAG 2.2 A/AA; DOM checks on %d views (also at 320 px): %d problems",
		run.axeViews/2, run.axeViews, run.violations, run.domViews, run.problems)
}

// reviewedDossier is a residential area of the demo's year-end whose
// recognition dossier waits for a decision.
const reviewedDossier = "25195-KDC06"

// TestBrowserAccessibilityChecksCatch proves the checks can fail: a page
// with one planted fault of each kind must yield each complaint.
func TestBrowserAccessibilityChecksCatch(t *testing.T) {
	if _, err := a11yScripts(); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(plantedFaults))
	}))
	t.Cleanup(ts.Close)
	ctx := browser(t)
	do(t, ctx, "planted faults", chromedp.EmulateViewport(360, 740), chromedp.Navigate(ts.URL), chromedp.WaitReady(`main`))
	violations, problems := audit(t, ctx, true)
	all := strings.Join(append(violations, problems...), "\n")
	t.Logf("caught:\n%s", all)
	for _, want := range []string{
		"axe image-alt", "axe label", "axe nested-interactive",
		"1.4.10 reflow", "chart text renders at", "2.5.8 target size", "1.4.1 colour alone",
		"1.4.11 non-text contrast", "3.3.1 errors: no field has", "is aria-invalid but no aria-describedby",
		"two links named", "two checkboxes are named", "2.4.1 bypass blocks",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("planted fault not caught: %q\nfound:\n%s", want, all)
		}
	}
}

const plantedFaults = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi cài sẵn</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>input.light { border: 1px solid #d0d5db; } .wide { width: 900px; } a.tiny { display: inline-block; width: 10px; height: 10px; font-size: 8px; }</style>
</head><body><a href="/khac">Trang khác</a><main id="main"><h1>Trang có lỗi cài sẵn</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text" class="light">
<div class="wide">rộng</div>
<svg viewBox="0 0 600 40" width="300" role="img" aria-label="biểu đồ"><a href="/x"><text x="0" y="20" font-size="12">chữ nhỏ</text></a></svg>
<p><a class="tiny" href="/a">1</a><a class="tiny" href="/b">2</a></p>
<table><tr><td class="met">80 %</td></tr></table>
<p class="field-error" id="e1">sai</p><input aria-label="ô lỗi" aria-invalid="true">
<p><a href="/p1">Xem</a> <a href="/p2">Xem</a></p>
<label><input type="checkbox"> Chọn</label><label><input type="checkbox"> Chọn</label>
</main></body></html>`
