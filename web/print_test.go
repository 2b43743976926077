package web_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"antq/demo"
)

// printPDF prints the page the browser shows as its print dialog would
// (Chromium's print-to-PDF, the page's own @page sizes and margins), keeps
// the file with the screenshots and reads it back.
func printPDF(t *testing.T, ctx context.Context, name string) pdfDoc {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print %s: %v", name, err)
	}
	path := filepath.Join(artifacts(t), name+".pdf")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := readPDF(buf)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	if len(doc.Pages) == 0 {
		t.Fatalf("%s: no page read from the PDF", path)
	}
	return doc
}

// chrome is text of the application around a document (header, menu,
// search, skip link, the "In lúc" footer), which a printed certificate or
// decision list must not carry.
var chrome = []string{"ANTQ", "Toàn dân bảo vệ an ninh Tổ quốc", "Tìm đơn vị", "Đăng xuất", "Tổng quan", "Kế hoạch", "Người dùng",
	"Nhật ký", "Bỏ qua", "In lúc", "Tải bảng kết quả", "In giấy công nhận"}

// TestBrowserPrintCertificatesAndDecisionList prints the certificates of a
// commune's units and its decision lists to PDF: one A4 landscape page per
// certificate with the honoree, its place, the place before the date, the
// certificate's number and the signature block; decision lists with only
// the units recognised "Đạt", place, date and signature; no application text
// on any page.
func TestBrowserPrintCertificatesAndDecisionList(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)
	plan := base + "/plans/" + demo.PlanID

	do(t, ctx, "certificates of Tân Phú", chromedp.Navigate(plan+"/certificates?unit=25195"), chromedp.WaitReady(`main`))
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("article.certificate").length`))
	if err != nil || n < 2 {
		t.Fatalf("certificates on the page = %d, %v (the demo decides several of Tân Phú's areas)", n, err)
	}
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("article.certificate .cert-unit")].map(e => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	doc := printPDF(t, ctx, "print-certificates-25195")
	if len(doc.Pages) != n {
		t.Fatalf("%d certificates printed on %d pages, want one page each", n, len(doc.Pages))
	}
	for i, p := range doc.Pages {
		if p.Width < p.Height || p.Width < 835 || p.Width > 848 || p.Height < 590 || p.Height > 600 {
			t.Errorf("page %d is %.0f × %.0f pt, want A4 landscape (842 × 595)", i+1, p.Width, p.Height)
		}
		for _, want := range []string{"GIẤY CÔNG NHẬN", names[i], "Phường Tân Phú, Thành phố Đồng Xoài, Tỉnh Bình Phước",
			"UBND phường Tân Phú công nhận", "Tân Phú, ngày", "Số: ", "/GCN", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký, ghi rõ họ tên, đóng dấu)"} {
			if !pdfHas(p.Text, want) {
				t.Errorf("certificate page %d lacks %q:\n%s", i+1, want, p.Text)
			}
		}
	}
	for _, c := range chrome {
		if pdfHas(doc.Text(), c) {
			t.Errorf("printed certificates carry the application's %q", c)
		}
	}
	if !pdfHas(doc.Text(), "Số: 01/GCN") {
		t.Errorf("no certificate numbered 01 among Tân Phú's: %s", doc.Text())
	}

	// One unit's certificate alone: one page.
	do(t, ctx, "one certificate", chromedp.Navigate(plan+"/units/25195-KDC03/certificate"), chromedp.WaitReady(`main`))
	if one := printPDF(t, ctx, "print-certificate-25195-KDC03"); len(one.Pages) != 1 {
		t.Errorf("one certificate printed on %d pages", len(one.Pages))
	}

	// The decision lists: "Đạt" only, with place, date and signature.
	do(t, ctx, "decision lists of Tân Phú", chromedp.Navigate(plan+"/decisions?unit=25195"), chromedp.WaitReady(`main`))
	groups, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("article.decision-list").length`))
	if err != nil || groups == 0 {
		t.Fatalf("decision lists = %d, %v", groups, err)
	}
	list := printPDF(t, ctx, "print-decisions-25195")
	if len(list.Pages) < groups {
		t.Errorf("%d decision lists on %d pages: each starts a page", groups, len(list.Pages))
	}
	all := list.Text()
	for _, want := range []string{"DANH SÁCH", "UBND PHƯỜNG TÂN PHÚ", "Tân Phú, ngày", "Đạt", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"} {
		if !pdfHas(all, want) {
			t.Errorf("printed decision lists lack %q:\n%s", want, all)
		}
	}
	if pdfHas(all, "Chưa đạt") {
		t.Errorf("a recognition decision list prints a unit not recognised:\n%s", all)
	}
	for _, c := range chrome {
		if pdfHas(all, c) {
			t.Errorf("printed decision lists carry the application's %q", c)
		}
	}
	for i, p := range list.Pages {
		if p.Width > p.Height || p.Width < 590 || p.Width > 600 {
			t.Errorf("decision list page %d is %.0f × %.0f pt, want A4 portrait", i+1, p.Width, p.Height)
		}
	}
}
