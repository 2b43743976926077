package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// An administrator creates one account and a list of accounts in the
// browser at a phone's width; each sheet of first passwords is in
// Vietnamese and fits the screen; the new user's first login goes to the
// password change, which frees the other pages.
func TestBrowserAccountCreation(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	const width = 360
	phone := chromedp.EmulateViewport(width, 740, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
	login(t, ctx, base)
	do(t, ctx, "viewport", phone)
	checkPage := func(name string) {
		t.Helper()
		body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range englishFound(body) {
			t.Errorf("%s: %s", name, f)
		}
		if got, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.scrollingElement.scrollWidth`)); err != nil || got > width {
			t.Errorf("%s is %d px wide on a %d-px screen (%v)", name, got, width, err)
		}
	}
	passwords := func() []string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".first-password")].map(e => e.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	do(t, ctx, "create one",
		chromedp.Navigate(base+"/users/new"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "canbo-moi"),
		chromedp.SendKeys(`#full_name`, "Nguyễn Thị Mai"),
		chromedp.SetValue(`#unit`, "99001"),
		chromedp.SetValue(`#role`, "viewer"),
		chromedp.Submit(`#username`),
		chromedp.WaitVisible(`.first-password`))
	checkPage("the sheet of one account")
	screenshot(t, ctx, "accounts-1-sheet")
	first := passwords()
	if len(first) != 1 || len(first[0]) != 16 {
		t.Fatalf("first passwords %q", first)
	}

	do(t, ctx, "a list with a bad line",
		chromedp.Navigate(base+"/users/import"), chromedp.WaitVisible(`#list`),
		chromedp.SetValue(`#list`, "nhaplieu-a; Trần Văn A; 99001; Nhập liệu\nnhaplieu-b; Trần Văn B; 99001; giám đốc"),
		chromedp.Submit(`#list`),
		chromedp.WaitVisible(`#list-err`))
	if msg := text(t, ctx, `#list-err`); !strings.Contains(msg, "Dòng 2") || !strings.Contains(msg, "vai trò") {
		t.Fatalf("refusal = %q", msg)
	}
	checkPage("the refused list")
	do(t, ctx, "a good list",
		chromedp.SetValue(`#list`, "nhaplieu-a; Trần Văn A; 99001; Nhập liệu\nnhaplieu-b; Trần Văn B; 99001; Xem"),
		chromedp.Submit(`#list`),
		chromedp.WaitVisible(`.first-password`))
	checkPage("the sheet of a list")
	screenshot(t, ctx, "accounts-2-list-sheet")
	listed := passwords()
	if len(listed) != 2 {
		t.Fatalf("list sheet passwords %q", listed)
	}
	// The sheet prints on one A4 page, without the application around it.
	doc := printPDF(t, ctx, "print-first-passwords")
	if len(doc.Pages) != 1 || doc.Pages[0].Width < 590 || doc.Pages[0].Width > 600 || doc.Pages[0].Height < 835 || doc.Pages[0].Height > 848 {
		t.Errorf("the sheet printed on %d pages, the first %.0f × %.0f pt; want one A4 portrait page", len(doc.Pages), doc.Pages[0].Width, doc.Pages[0].Height)
	}
	for _, want := range []string{"nhaplieu-a", "nhaplieu-b", listed[0], listed[1], "Xã Thử Nghiệm", "đổi mật khẩu", "Mật khẩu lần đầu"} {
		if !pdfHas(doc.Text(), want) {
			t.Errorf("the printed sheet lacks %q:\n%s", want, doc.Text())
		}
	}
	for _, c := range chrome {
		if pdfHas(doc.Text(), c) {
			t.Errorf("the printed sheet carries the application's %q", c)
		}
	}

	do(t, ctx, "the account page", chromedp.Navigate(base+"/users/canbo-moi"), chromedp.WaitVisible(`main h1`))
	checkPage("the account page")

	logout(t, ctx)
	loginAs(t, ctx, base, "canbo-moi", first[0])
	where := func() string {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	if loc := where(); loc != "/account?doi=can" {
		t.Fatalf("first login lands on %q", loc)
	}
	do(t, ctx, "another page before the change", chromedp.Navigate(base+"/plans"), chromedp.WaitVisible(`#current_password`))
	if loc := where(); loc != "/account?doi=can" {
		t.Fatalf("a page before the change lands on %q", loc)
	}
	do(t, ctx, "change the first password",
		chromedp.SendKeys(`#current_password`, first[0]),
		chromedp.SendKeys(`#new_password`, "mật khẩu riêng của Mai"),
		chromedp.SendKeys(`#confirm_password`, "mật khẩu riêng của Mai"),
		chromedp.Submit(`#confirm_password`),
		chromedp.WaitVisible(`.flash`))
	do(t, ctx, "a page after the change", chromedp.Navigate(base+"/plans"), chromedp.WaitVisible(`main h1`))
	if loc := where(); strings.HasPrefix(loc, "/account") {
		t.Fatalf("a page after the change lands on %q", loc)
	}
}
