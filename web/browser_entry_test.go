package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"antq"
	"antq/demo"
)

// TestBrowserRefusedSaveKeepsEntries: a wrong value in one score of a
// grading dossier shows its error at the field, scrolled into view and
// focused, and every other score typed is kept — on a phone and a desktop.
func TestBrowserRefusedSaveKeepsEntries(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)
	page := base + "/plans/" + demo.PlanID + "/units/99001/dossiers/grading"
	for _, v := range phoneAndDesktop {
		do(t, ctx, "viewport", chromedp.EmulateViewport(v.w, v.h))
		do(t, ctx, "grading dossier", chromedp.Navigate(page), chromedp.WaitVisible(`input[name^="self."]`))
		ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('input[name^="self."]')].map(e => e.id)`))
		if err != nil || len(ids) < 4 {
			t.Fatalf("score inputs = %v, %v", ids, err)
		}
		// The last item gets more than its maximum; the others 1 point each.
		bad := ids[len(ids)-1]
		max, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById(`+strconv.Quote(bad)+`).closest("tr").children[1].textContent.trim()`))
		if err != nil {
			t.Fatal(err)
		}
		maxPoints, err := strconv.ParseFloat(strings.ReplaceAll(max, ",", "."), 64)
		if err != nil {
			t.Fatalf("maximum of %s = %q", bad, max)
		}
		over := strings.ReplaceAll(strconv.FormatFloat(maxPoints+1, 'f', -1, 64), ".", ",")
		steps := []chromedp.Action[chromedp.Void]{}
		for _, id := range ids {
			value := "1"
			if id == bad {
				value = over
			}
			steps = append(steps, chromedp.SetValue(`[id="`+id+`"]`, value))
		}
		steps = append(steps, chromedp.Click(`.dossier-form button[type=submit]`), chromedp.WaitVisible(`.field-error`))
		do(t, ctx, "save with one wrong score", steps...)
		item := strings.TrimPrefix(bad, "self.")
		if msg := text(t, ctx, `[id="scores.`+item+`-err"]`); msg == "" {
			t.Errorf("%d px: no error at the wrong score", v.w)
		}
		focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`))
		if err != nil || focused != bad {
			t.Errorf("%d px: focus is on %q, want the wrong score %q", v.w, focused, bad)
		}
		inView, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const r = document.getElementById(`+strconv.Quote(bad)+`).getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`))
		if err != nil || !inView {
			t.Errorf("%d px: the wrong score is not scrolled into view", v.w)
		}
		for _, id := range ids {
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById(`+strconv.Quote(id)+`).value`))
			want := "1"
			if id == bad {
				want = over
			}
			if err != nil || got != want {
				t.Errorf("%d px: %s holds %q after the refused save, want %q as typed", v.w, id, got, want)
			}
		}
		screenshot(t, ctx, "refused-scores-"+strconv.Itoa(int(v.w)))
	}
}

// TestBrowserDatesDayMonthYear: date fields show and take dd/mm/yyyy in a
// vi-VN browser (no date picker that shows the month first), and a date
// typed so is saved as that day.
func TestBrowserDatesDayMonthYear(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)
	page := base + "/plans/" + demo.PlanID + "/units/99001-KDC01"
	for i, v := range phoneAndDesktop {
		do(t, ctx, "viewport", chromedp.EmulateViewport(v.w, v.h))
		day := []string{"11/02/2023", "03/02/2023"}[i]
		do(t, ctx, "register on "+day, chromedp.Navigate(page), chromedp.WaitVisible(`#registered_on`))
		typ, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("registered_on").type`))
		if typ != "text" {
			t.Errorf("%d px: the date field is of type %q (a browser date picker follows the browser's locale)", v.w, typ)
		}
		do(t, ctx, "type the day", chromedp.SetValue(`#registered_on`, day),
			chromedp.Click(`#registration .fact-form .actions button:first-child`), chromedp.WaitVisible(`.flash`))
		got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("registered_on").value`))
		if got != day {
			t.Errorf("%d px: after saving %s the field shows %q", v.w, day, got)
		}
		if section := text(t, ctx, `#registration`); !strings.Contains(section, day) {
			t.Errorf("%d px: the registration does not say %s:\n%s", v.w, day, section)
		}
		// A day that does not exist is refused at the field.
		do(t, ctx, "an impossible day", chromedp.SetValue(`#registered_on`, "31/02/2023"),
			chromedp.Click(`#registration .fact-form .actions button:first-child`), chromedp.WaitVisible(`#registered_on-err`))
		if msg := text(t, ctx, `#registered_on-err`); !strings.Contains(msg, "ngày/tháng/năm") {
			t.Errorf("%d px: error for 31/02/2023 = %q", v.w, msg)
		}
	}
}

// TestBrowserDeleteAsksFirst: withdrawing a registration asks for
// confirmation on a page of its own (no script); going back keeps it, the
// second step withdraws it — on a phone and a desktop.
func TestBrowserDeleteAsksFirst(t *testing.T) {
	base, db := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)
	page := base + "/plans/" + demo.PlanID + "/units/99001-KDC01"
	registered := func() bool {
		t.Helper()
		_, facts, err := db.UnitFacts(antq.SystemContext(context.Background()), demo.PlanID, "99001-KDC01")
		if err != nil {
			t.Fatal(err)
		}
		return facts.Registration != nil
	}
	withdraw := `#registration .fact-form button[value="delete"]`
	for _, v := range phoneAndDesktop {
		do(t, ctx, "viewport", chromedp.EmulateViewport(v.w, v.h))
		do(t, ctx, "register", chromedp.Navigate(page), chromedp.WaitVisible(`#registered_on`),
			chromedp.SetValue(`#registered_on`, "15/02/2023"),
			chromedp.Click(`#registration .fact-form .actions button:first-child`), chromedp.WaitVisible(withdraw))
		do(t, ctx, "withdraw, first step", chromedp.Click(withdraw), chromedp.WaitVisible(`main form button[type=submit]`))
		if q := text(t, ctx, `main`); !strings.Contains(q, "Rút đăng ký phấn đấu của Ấp Thử Nghiệm?") {
			t.Fatalf("%d px: confirmation page = %q", v.w, q)
		}
		if !registered() {
			t.Fatalf("%d px: the first step already withdrew the registration", v.w)
		}
		do(t, ctx, "go back", chromedp.Click(`main form a`), chromedp.WaitVisible(withdraw))
		if !registered() {
			t.Fatalf("%d px: going back withdrew the registration", v.w)
		}
		do(t, ctx, "withdraw, both steps", chromedp.Click(withdraw), chromedp.WaitVisible(`main form button[type=submit]`),
			chromedp.Click(`main form button[type=submit]`), chromedp.WaitVisible(`.flash`))
		if registered() {
			t.Errorf("%d px: the confirmed withdrawal left the registration", v.w)
		}
		if s := text(t, ctx, `#registration`); !strings.Contains(s, "Chưa đăng ký") {
			t.Errorf("%d px: after withdrawal the section says %q", v.w, s)
		}
	}
}

// TestBrowserDataEntryChecklist: a data-entry user lands on what its units
// still have to do, each item a link to its form; the inbox offers it no
// step it may not take — on a phone and a desktop.
func TestBrowserDataEntryChecklist(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	loginAs(t, ctx, base, clerkName, clerkPassword)
	for _, v := range phoneAndDesktop {
		do(t, ctx, "viewport", chromedp.EmulateViewport(v.w, v.h))
		do(t, ctx, "first screen", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`h1`))
		if h1 := text(t, ctx, `h1`); h1 != "Việc cần làm: Xã Thử Nghiệm" {
			t.Fatalf("%d px: the data entry's first screen is %q", v.w, h1)
		}
		body := text(t, ctx, `main`)
		flat := strings.Join(strings.Fields(body), " ")
		for _, want := range []string{"Xã Thử Nghiệm", "Ấp Thử Nghiệm", "Còn phải làm: Đăng ký phấn đấu (Ấp Thử Nghiệm) — chưa đăng ký",
			"Số liệu tuyên truyền (Xã Thử Nghiệm) — chưa nhập", "Mô hình (Ấp Thử Nghiệm) — chưa có mô hình", "Minh chứng (Xã Thử Nghiệm) — chưa tải tệp nào",
			"Hồ sơ công nhận (Ấp Thử Nghiệm) — lập sau khi đăng ký", "Đã xong 0/5 việc"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%d px: the checklist lacks %q:\n%s", v.w, want, body)
			}
		}
		do(t, ctx, "follow an item", chromedp.Click(`section.todo:nth-of-type(2) .checklist a[href$="#registration"]`), chromedp.WaitVisible(`#registered_on`))
		do(t, ctx, "inbox", chromedp.Navigate(base+"/plans/"+demo.PlanID+"/inbox?late=1"), chromedp.WaitVisible(`h1`))
		if inbox := text(t, ctx, `main`); strings.Contains(inbox, "Ghi quyết định") || strings.Contains(inbox, "Xác nhận thẩm định") {
			t.Errorf("%d px: the inbox offers the data entry steps it may not take:\n%.500s", v.w, inbox)
		}
	}
}

// TestBrowserLockedResultHasNoForm: a result decided through a dossier is
// shown with a link to its dossier and no form to enter it directly (the
// store would refuse it), on a phone and a desktop.
func TestBrowserLockedResultHasNoForm(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)
	for _, v := range phoneAndDesktop {
		do(t, ctx, "viewport", chromedp.EmulateViewport(v.w, v.h))
		do(t, ctx, "facts of a decided area", chromedp.Navigate(base+"/plans/"+demo.PlanID+"/units/25195-KDC03"), chromedp.WaitVisible(`#registration`))
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/recognition"]').length`))
		if err != nil || n != 0 {
			t.Errorf("%d px: %d recognition forms on a result decided through its dossier", v.w, n)
		}
		if note := text(t, ctx, `#recognition .note a[href$="/dossiers/recognition"]`); note != "hồ sơ công nhận" {
			t.Errorf("%d px: link to the governing dossier = %q", v.w, note)
		}
	}
	// A unit without a dossier keeps its form.
	do(t, ctx, "facts of the test area", chromedp.Navigate(base+"/plans/"+demo.PlanID+"/units/99001-KDC01"), chromedp.WaitVisible(`#registration`))
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/recognition"]').length`)); n != 1 {
		t.Errorf("%d recognition forms where no dossier governs, want 1", n)
	}
}
