package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"antq"
	"antq/demo"
	"antq/store"
)

// A residential area's head enters and submits its propaganda figure; the
// commune returns it with a reason the head then reads, the head submits it
// again and the commune approves it: the commune's figure moves from
// provisional to official.
func TestBrowserApprovalOfFacts(t *testing.T) {
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
	plan := base + "/plans/" + demo.PlanID
	area := plan + "/units/99001-KDC01"
	card := `//article[contains(@class,"card")][.//a[contains(@href,"ind=propaganda_households")]]`
	commune := func(step string) string {
		t.Helper()
		do(t, ctx, step, chromedp.Navigate(plan+"/dashboard?unit=99001"), chromedp.WaitVisible(`section.cards`))
		return text(t, ctx, card)
	}

	// The head enters 450 of 500 households with its report, and submits.
	loginAs(t, ctx, base, "truongap", password)
	do(t, ctx, "enter the figure",
		chromedp.Navigate(area),
		chromedp.WaitVisible(`#reached`),
		chromedp.SendKeys(`#reached`, "450"),
		chromedp.SetValue(`#as_of`, "2023-10-20"),
		chromedp.SendKeys(`#propaganda-doc_number`, "05/BC-ATN"),
		chromedp.SetValue(`#propaganda-doc_date`, "2023-10-20"),
		chromedp.Click(`#propaganda .fact-form button[type=submit]`),
		chromedp.WaitVisible(`#approval-propaganda-0 button[value=submit]`))
	do(t, ctx, "submit", chromedp.Click(`#approval-propaganda-0 button[value=submit]`), chromedp.WaitVisible(`#approval-propaganda-0 .state-submitted`))
	if got := text(t, ctx, `#approval-propaganda-0`); !strings.Contains(got, "Chờ duyệt") {
		t.Fatalf("after submitting = %q", got)
	}
	logout(t, ctx)

	// The commune sees it provisional, and returns it from its inbox with
	// a reason.
	loginAs(t, ctx, base, "caxa", password)
	if got := commune("provisional"); !strings.Contains(got, "0\u00a0/\u00a01") || !strings.Contains(got, "Tạm tính (cả số liệu chờ duyệt): 1\u00a0/\u00a01") ||
		!strings.Contains(got, "1 đơn vị chờ duyệt") {
		t.Fatalf("commune card with the figure submitted = %q", got)
	}
	// The pooled household ratio beside it: official none, provisional 450 of 500.
	if got := commune("pooled, provisional"); !strings.Contains(got, "chính thức 0\u00a0/\u00a0500 hộ (0") || !strings.Contains(got, "tạm tính 450\u00a0/\u00a0500 hộ (90") {
		t.Fatalf("pooled ratio with the figure submitted = %q", got)
	}
	do(t, ctx, "inbox", chromedp.Navigate(plan+"/approvals"), chromedp.WaitVisible(`input[name=fact]`))
	if got := text(t, ctx, `table.list`); !strings.Contains(got, "Ấp Thử Nghiệm") {
		t.Fatalf("inbox = %q", got)
	}
	do(t, ctx, "return",
		chromedp.Click(`input[name=fact]`),
		chromedp.Click(`input[name=action][value=return]`),
		chromedp.SendKeys(`#a-reason`, "Thiếu chữ ký trên biên bản"),
		chromedp.Click(`fieldset.fact-form button[type=submit]`),
		chromedp.WaitVisible(`.note`))
	if got := text(t, ctx, `.note`); !strings.Contains(got, "Trả lại") {
		t.Fatalf("bulk result = %q", got)
	}
	logout(t, ctx)

	// The head reads why, and submits again.
	loginAs(t, ctx, base, "truongap", password)
	do(t, ctx, "read the reason", chromedp.Navigate(area), chromedp.WaitVisible(`#approval-propaganda-0 .returned`))
	if got := text(t, ctx, `#approval-propaganda-0 .returned`); !strings.Contains(got, "Thiếu chữ ký trên biên bản") {
		t.Fatalf("returned fact = %q", got)
	}
	do(t, ctx, "submit again", chromedp.Click(`#approval-propaganda-0 button[value=submit]`), chromedp.WaitVisible(`#approval-propaganda-0 .state-submitted`))
	if got := text(t, ctx, `#approval-propaganda-0`); strings.Contains(got, "Duyệt") && strings.Contains(got, "Trả lại,") {
		t.Fatalf("the head is offered the commune's steps: %q", got)
	}
	logout(t, ctx)

	// The commune approves it on the area's page: official now.
	loginAs(t, ctx, base, "caxa", password)
	do(t, ctx, "approve", chromedp.Navigate(area), chromedp.WaitVisible(`#approval-propaganda-0 button[value=approve]`),
		chromedp.Click(`#approval-propaganda-0 button[value=approve]`), chromedp.WaitVisible(`#approval-propaganda-0 .state-approved`))
	if got := text(t, ctx, `#approval-propaganda-0`); !strings.Contains(got, "Đã duyệt") {
		t.Fatalf("after approval = %q", got)
	}
	if got := commune("official"); !strings.Contains(got, "1\u00a0/\u00a01") || !strings.Contains(got, "Đạt chỉ tiêu") ||
		strings.Contains(got, "chờ duyệt:") && strings.Contains(got, "đơn vị chờ duyệt") {
		t.Fatalf("commune card after approval = %q", got)
	}
	if got := commune("pooled, official"); !strings.Contains(got, "chính thức 450\u00a0/\u00a0500 hộ (90") {
		t.Fatalf("pooled ratio after approval = %q", got)
	}
}
