package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"antq"
	"antq/store"
)

// An area's head records a member of the security team and reports what
// she did, with a photo and her written consent (name yes, birth year no);
// the commune police review and publish it; on a 360-px phone, without
// logging in, the case opens from the public page with her name and photo
// and without her birth year.
func TestBrowserExemplaryCase(t *testing.T) {
	base, db := demoServer(t)
	ctx := browser(t)
	sys := antq.SystemContext(context.Background())
	const password = "mat-khau-thu-nghiem-12"
	hash, err := fastHasher.Hash(sys, password)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []store.NewUser{
		{Username: "truongap", Role: antq.RoleDataEntry, UnitCode: "99001-KDC01", PasswordHash: hash},
		{Username: "caxa", Role: antq.RoleReviewer, UnitCode: "99001", PasswordHash: hash},
	} {
		if _, err := db.CreateUser(sys, u); err != nil {
			t.Fatal(err)
		}
	}
	photo := filepath.Join(t.TempDir(), "anh-tuan-tra.jpg")
	if err := os.WriteFile(photo, jpeg, 0o600); err != nil {
		t.Fatal(err)
	}

	loginAs(t, ctx, base, "truongap", password)
	do(t, ctx, "record the person",
		chromedp.Navigate(base+"/people?unit=99001-KDC01"),
		chromedp.WaitVisible(`#p-name`),
		chromedp.SendKeys(`#p-name`, "Hoàng Thị Lan"),
		chromedp.SendKeys(`#p-birth`, "1979"),
		chromedp.Click(`input[name=gender][value=nu]`),
		chromedp.SetValue(`#p-role`, "to_bao_ve_antt"),
		chromedp.Submit(`#p-name`),
		chromedp.WaitVisible(`dl.facts-list`))
	if got := text(t, ctx, `h1`); got != "Hoàng Thị Lan" {
		t.Fatalf("person page h1 = %q", got)
	}
	story := "Sáng 05/07/2023, bà Lan phát hiện một đối tượng lạ lấy trộm xe máy ở chợ, đã hô hoán và cùng tổ bảo vệ an ninh giữ người, báo Công an xã."
	do(t, ctx, "open the cases", chromedp.Navigate(base+"/cases?unit=99001-KDC01"), chromedp.WaitVisible(`#c-title`))
	do(t, ctx, "report the case",
		chromedp.Click(`input[name=subject][value=person]`),
		chromedp.SetValue(`#c-person`, personOption(t, ctx, "Hoàng Thị Lan")),
		chromedp.SendKeys(`#c-title`, "Người phụ nữ giữ kẻ trộm xe ở chợ"),
		chromedp.SendKeys(`#c-deed`, "Phát hiện, hô hoán, cùng tổ bảo vệ giữ đối tượng trộm xe máy"),
		chromedp.SetValue(`#c-on`, "2023-07-05"),
		chromedp.SendKeys(`#c-place`, "Chợ xã"),
		chromedp.SendKeys(`#c-story`, story),
		chromedp.SendKeys(`#c-source`, "Trưởng ấp báo cáo"),
		chromedp.Submit(`#c-title`),
		chromedp.WaitVisible(`#ph-file`))
	if got := text(t, ctx, `main`); !strings.Contains(got, "Đã báo cáo, chờ thẩm tra") {
		t.Fatalf("case page after reporting = %q", got)
	}
	do(t, ctx, "add a photo",
		chromedp.SetUploadFiles(`#ph-file`, []string{photo}),
		chromedp.SendKeys(`#ph-caption`, "Bà Lan tại chợ"),
		chromedp.Submit(`#ph-caption`),
		chromedp.WaitVisible(`ul.photos img`))
	do(t, ctx, "record the consent",
		chromedp.SendKeys(`#cs-by`, "Hoàng Thị Lan"),
		chromedp.SetValue(`#cs-on`, "2023-07-10"),
		chromedp.SendKeys(`#cs-doc`, "Phiếu đồng ý ngày 10/07/2023"),
		chromedp.Click(`input[name=consent_name]`),
		chromedp.Click(`input[name=consent_photos]`),
		chromedp.Submit(`#cs-doc`),
		chromedp.WaitVisible(`//p[contains(@class, "flash")][contains(., "Đã thực hiện")]`))
	if got := text(t, ctx, `dl.facts-list`); !strings.Contains(got, "được nêu họ tên") || !strings.Contains(got, "không nêu năm sinh") {
		t.Fatalf("consent shown as %q", got)
	}
	if got := text(t, ctx, `main`); strings.Contains(got, "Xác nhận đã thẩm tra") {
		t.Fatalf("data entry is offered the review")
	}
	caseURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	caseURL = strings.SplitN(caseURL, "?", 2)[0]
	logout(t, ctx)

	loginAs(t, ctx, base, "caxa", password)
	do(t, ctx, "open the case", chromedp.Navigate(caseURL), chromedp.WaitVisible(`main h1`))
	if got := text(t, ctx, `main`); !strings.Contains(got, "Xác nhận đã thẩm tra") {
		t.Fatalf("the commune is not offered the review at %s: %q", caseURL, got)
	}
	do(t, ctx, "review",
		chromedp.SendKeys(`#rv-note`, "Đã xác minh với Công an xã và người dân ở chợ"),
		chromedp.Submit(`#rv-note`),
		chromedp.WaitVisible(`//button[contains(., "Công bố trên trang công khai")]`))
	do(t, ctx, "publish",
		chromedp.Click(`//button[contains(., "Công bố trên trang công khai")]`),
		chromedp.WaitVisible(`a[href^="/public/cases/"]`))
	if got := text(t, ctx, `p.muted`); !strings.Contains(got, "Đã công bố") {
		t.Fatalf("after publishing = %q", got)
	}
	logout(t, ctx)

	// Anonymous, on a phone.
	do(t, ctx, "public page on a phone", chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(base+"/public"),
		chromedp.WaitVisible(`//a[contains(., "Người phụ nữ giữ kẻ trộm xe ở chợ")]`))
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > 360 {
		t.Fatalf("public page is %d px wide on a 360 px phone (%v)", width, err)
	}
	screenshot(t, ctx, "case-1-public-list-phone")
	do(t, ctx, "open the case", chromedp.Click(`//a[contains(., "Người phụ nữ giữ kẻ trộm xe ở chợ")]`), chromedp.WaitVisible(`article.public-case`))
	got := text(t, ctx, `article.public-case`)
	if !strings.Contains(got, "Hoàng Thị Lan") || strings.Contains(got, "1979") || !strings.Contains(got, "bà Lan phát hiện") {
		t.Fatalf("public case = %q", got)
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll("article img[src^=\"/public/cases/\"]").length === 1`))
	if err != nil || !loaded {
		t.Fatalf("the consented photo is not on the page (%v)", err)
	}
	width, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > 360 {
		t.Fatalf("public case is %d px wide on a 360 px phone (%v)", width, err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("nav.account").length`)); err != nil || n != 0 {
		t.Fatalf("the public case shows the account menu (%d, %v)", n, err)
	}
	screenshot(t, ctx, "case-2-public-case-phone")
}

// personOption is the value of the person's option in the case form.
func personOption(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#c-person option")).find(o => o.textContent.startsWith(`+"`"+name+"`"+`)).value`))
	if err != nil || v == "" {
		t.Fatalf("no option for %s (%v)", name, err)
	}
	return v
}
