package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/unitfile"
)

// The commune's reviewer assesses its police on the unit's facts page: a
// form without a basis is refused with the reason beside the field, the
// completed form is saved and the assessment shown.
func TestBrowserCollectiveAssessment(t *testing.T) {
	base, db := demoServer(t)
	ctx := browser(t)
	sys := antq.SystemContext(context.Background())
	recs, err := unitfile.Read("ca.csv", strings.NewReader("level,code,name,type,parent_code,valid_to\ncommune_police,99001-CA,Công an xã Thử Nghiệm,Công an xã,99001,2025-06-30\n"),
		unitfile.Options{ValidFrom: antq.MustDate("2023-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportUnits(sys, "ca.csv", recs); err != nil {
		t.Fatal(err)
	}
	const password = "mat-khau-thu-nghiem-12"
	hash, err := fastHasher.Hash(sys, password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(sys, store.NewUser{Username: "caxa", Role: antq.RoleReviewer, UnitCode: "99001", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	loginAs(t, ctx, base, "caxa", password)
	page := base + "/plans/" + demo.PlanID + "/units/99001-CA"
	do(t, ctx, "a form without basis",
		chromedp.Navigate(page),
		chromedp.WaitVisible(`#ca-level`),
		chromedp.SetValue(`#ca-level`, "tot"),
		chromedp.SetValue(`#ca-on`, "2023-11-20"),
		chromedp.SendKeys(`#ca-by`, "Chủ tịch UBND xã Thử Nghiệm"),
		chromedp.RemoveAttribute(`#ca-basis`, "required"), // as a browser without validation sends it
		chromedp.Click(`#collective_assessment button[type=submit]`),
		chromedp.WaitVisible(`#ca-basis-err`))
	if got := text(t, ctx, `#ca-basis-err`); !strings.Contains(got, "cần căn cứ đánh giá") {
		t.Fatalf("reason beside the basis = %q", got)
	}
	do(t, ctx, "the completed form",
		chromedp.SendKeys(`#ca-basis`, "Biên bản họp đánh giá ngày 20/11/2023"),
		chromedp.Click(`#collective_assessment button[type=submit]`),
		chromedp.WaitVisible(`#collective_assessment button[value=delete]`))
	got := text(t, ctx, `#collective_assessment`)
	for _, want := range []string{"Hoàn thành tốt nhiệm vụ", "20/11/2023", "Chủ tịch UBND xã Thử Nghiệm", "Biên bản họp đánh giá", "chưa xác minh"} {
		if !strings.Contains(got, want) {
			t.Errorf("section lacks %q: %q", want, got)
		}
	}
}
