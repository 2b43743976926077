package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"antq"
	"antq/demo"
	"antq/store"
)

// A commune's data entry downloads the commune's template from the page,
// fills a residential area's propaganda figure in Excel, uploads it: the
// row is submitted, and the commune's figure moves to provisional.
func TestBrowserTemplateUpload(t *testing.T) {
	base, db := demoServer(t)
	ctx := browser(t)
	sys := antq.SystemContext(context.Background())
	const password = "mat-khau-thu-nghiem-12"
	hash, err := fastHasher.Hash(sys, password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(sys, store.NewUser{Username: "nhaplieuxa", Role: antq.RoleDataEntry, UnitCode: "99001", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	plan := base + "/plans/" + demo.PlanID
	card := `//article[contains(@class,"card")][.//a[contains(@href,"ind=propaganda_households")]]`

	loginAs(t, ctx, base, "nhaplieuxa", password)
	do(t, ctx, "open the template page", chromedp.Navigate(plan+"/units/99001"), chromedp.WaitVisible(`a[href*="/templates?unit=99001"]`),
		chromedp.Click(`a[href*="/templates?unit=99001"]`), chromedp.WaitVisible(`#t-file`))
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('a.button[href*="templates.xlsx"]').getAttribute('href')`))
	if err != nil {
		t.Fatal(err)
	}
	// The download, with the browser's own session.
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+jsString(href)+`).then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status)).then(b => {
		let s = ''; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return btoa(s); })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download the template: %v", err)
	}
	tpl, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}

	// Filled in Excel: 450 of the area's 500 households, with the report.
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Tuyên truyền")
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for j, h := range rows[0] {
		col[h] = j + 1
	}
	line := 0
	for i, r := range rows {
		if len(r) > 0 && r[col["Mã đơn vị"]-1] == "99001-KDC01" {
			line = i + 1
		}
	}
	if line == 0 {
		t.Fatalf("the template has no row for the area: %v", rows)
	}
	set := func(title string, v any) {
		cell, _ := excelize.CoordinatesToCellName(col[title], line)
		if err := f.SetCellValue("Tuyên truyền", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("Số đã được tuyên truyền", 450)
	set("Ngày số liệu", time.Date(2023, 10, 20, 0, 0, 0, 0, time.UTC))
	set("Số văn bản", "05/BC-ATN")
	set("Ngày văn bản", time.Date(2023, 10, 20, 0, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "mau-da-dien.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	do(t, ctx, "upload", chromedp.SetUploadFiles(`#t-file`, []string{path}), chromedp.Click(`form.fact-form button[type=submit]`),
		chromedp.WaitVisible(`#h-kq`))
	if got := text(t, ctx, `section[aria-labelledby=h-kq]`); !strings.Contains(got, "Đã ghi và gửi duyệt 1 dòng") {
		t.Fatalf("import result = %q", got)
	}
	do(t, ctx, "dashboard", chromedp.Navigate(plan+"/dashboard?unit=99001"), chromedp.WaitVisible(`section.cards`))
	if got := text(t, ctx, card); !strings.Contains(got, "0\u00a0/\u00a01") || !strings.Contains(got, "Tạm tính (cả số liệu chờ duyệt): 1\u00a0/\u00a01") ||
		!strings.Contains(got, "1 đơn vị chờ duyệt") {
		t.Fatalf("commune card after the upload = %q", got)
	}
	do(t, ctx, "the area's facts", chromedp.Navigate(plan+"/units/99001-KDC01"), chromedp.WaitVisible(`#approval-propaganda-0 .state-submitted`))
	_ = os.Remove(path)
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`)
	return "'" + r.Replace(s) + "'"
}
