package web_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"antq"
)

// TestBrowserClusterHeadScoresClosesPrints: the head of cụm số 1 (Đồng
// Xoài's cluster_head) opens its cluster, reviews one member's scores on
// the phone-friendly sheet, sees the total and the ranking move, closes the
// ranking and prints it.
func TestBrowserClusterHeadScoresClosesPrints(t *testing.T) {
	base, db := demoServer(t)
	ctx := browser(t)
	loginAs(t, ctx, base, headName, headPassword)

	do(t, ctx, "cluster list", chromedp.Navigate(base+"/clusters"), chromedp.WaitVisible(`main table`))
	list := text(t, ctx, `main`)
	if !strings.Contains(list, "Cụm thi đua số 1") || strings.Contains(list, "Cụm thi đua số 2") || strings.Contains(list, "Khối thi đua số 6") {
		t.Fatalf("the head sees other clusters than its own:\n%s", list)
	}
	sys := antq.SystemContext(context.Background())
	all, err := db.Clusters(sys, 2023)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, c := range all {
		if c.Code == "cum-1" {
			id = c.ID
		}
	}
	page := base + "/clusters/" + strconv.FormatInt(id, 10)
	do(t, ctx, "open the cluster", chromedp.Click(`main a[href="/clusters/`+strconv.FormatInt(id, 10)+`"]`), chromedp.WaitVisible(`main table.list`))
	if s := text(t, ctx, `main`); !strings.Contains(s, "Đơn vị trưởng") || !strings.Contains(s, "Hạng") {
		t.Fatalf("ranking page:\n%.600s", s)
	}
	before, err := db.ClusterRanking(sys, id)
	if err != nil {
		t.Fatal(err)
	}
	// Chơn Thành (697), self-scored, not reviewed yet.
	var total antq.Tenths
	for _, r := range before.Rows {
		if r.Unit.Code == "697" {
			total = r.Total
		}
	}
	do(t, ctx, "member sheet", chromedp.Click(`main table a[href$="/members/697"]`), chromedp.WaitVisible(`#reviewed_cd\.ke-hoach`))
	if s := text(t, ctx, `main`); !strings.Contains(s, "điểm tự chấm, chưa thẩm định") {
		t.Fatalf("sheet before review:\n%.600s", s)
	}
	screenshot(t, ctx, "cluster-1-sheet")
	// A deduction without its reason is refused, naming the criterion.
	do(t, ctx, "deduction without a reason",
		chromedp.SetValue(`#reviewed_tru`, "2"),
		chromedp.Click(`form.sheet button[type=submit]`),
		chromedp.WaitVisible(`#reviewed_note_tru-err`))
	if e := text(t, ctx, `#reviewed_note_tru-err`); !strings.Contains(e, "lý do") {
		t.Fatalf("deduction error = %q", e)
	}
	do(t, ctx, "review",
		chromedp.Evaluate[chromedp.Void](`document.getElementById('reviewed_tru').value = ''; document.getElementById('reviewed_cd.ke-hoach').value = '10'`),
		chromedp.Click(`form.sheet button[type=submit]`),
		chromedp.WaitVisible(`.flash`))
	after, err := db.ClusterRanking(sys, id)
	if err != nil {
		t.Fatal(err)
	}
	var moved antq.Tenths
	for _, r := range after.Rows {
		if r.Unit.Code == "697" {
			moved = r.Total
		}
	}
	if moved == total {
		t.Fatalf("the reviewed score did not move Chơn Thành's total (%s)", total)
	}
	if s := text(t, ctx, `main`); !strings.Contains(s, "Tổng điểm "+moved.VN()) || !strings.Contains(s, "điểm cụm, khối thẩm định") {
		t.Fatalf("sheet after review (want total %s):\n%.600s", moved.VN(), s)
	}

	do(t, ctx, "close", chromedp.Navigate(page), chromedp.WaitVisible(`main table.list`),
		chromedp.Click(`form[action$="/ranking"] button[type=submit]`), chromedp.WaitVisible(`.flash`))
	if s := text(t, ctx, `main`); !strings.Contains(s, "đã khóa ngày") || !strings.Contains(s, "Mở lại") {
		t.Fatalf("closed ranking page:\n%.800s", s)
	}
	screenshot(t, ctx, "cluster-2-closed")
	c, err := db.Cluster(sys, id)
	if err != nil || c.Closed == nil || c.Closed.ClosedBy != headName {
		t.Fatalf("closure %+v, %v", c.Closed, err)
	}

	// Printed: the forms are gone, the date line and the ranking remain.
	do(t, ctx, "print media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`[
		getComputedStyle(document.querySelector('form.fact-form')).display !== 'none',
		getComputedStyle(document.querySelector('main p.print-only')).display !== 'none',
		getComputedStyle(document.querySelector('main table.list')).display !== 'none']`))
	if err != nil || len(shown) != 3 || shown[0] || !shown[1] || !shown[2] {
		t.Fatalf("printed page: form shown, date line shown, table shown = %v (%v)", shown, err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) || len(pdf) < 5000 {
		t.Fatalf("PDF of the ranking: %d bytes, %v", len(pdf), err)
	}
}
