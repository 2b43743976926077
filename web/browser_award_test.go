package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"antq/demo"
)

// A district nominates a citizen of the demo for the commune chairman's
// Giấy khen: the nomination is drafted, its dossier completed (tờ trình,
// report of achievements, the council's votes), submitted, decided with
// the decision's number and date, and its Giấy khen prints on one A4
// landscape page in the administrative layout, without the application;
// the person's page then lists the award.
func TestBrowserAwardToDecisionAndPrint(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)

	do(t, ctx, "open the awards", chromedp.Navigate(base+"/awards?plan="+demo.PlanID), chromedp.WaitVisible(`#n-form`))
	if got := text(t, ctx, `main`); !strings.Contains(got, "Gợi ý từ số liệu chính thức") || !strings.Contains(got, "Nguyễn Văn Hùng") {
		t.Fatalf("awards page = %q", got)
	}
	person, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#n-person option")).find(o => o.textContent.startsWith("Võ Thị Thu")).value`))
	if err != nil || person == "" {
		t.Fatalf("no option for Võ Thị Thu (%v)", err)
	}
	do(t, ctx, "nominate",
		chromedp.SetValue(`#n-form`, "giay_khen_chu_tich_xa"),
		chromedp.SetValue(`#n-person`, person),
		chromedp.SetValue(`#n-by`, demo.YearEndDistrict),
		chromedp.SetValue(`#n-reasons`, "Tích cực tham gia phong trào, cung cấp tin giúp ngăn chặn một vụ trộm cắp"),
		chromedp.Submit(`#n-reasons`),
		chromedp.WaitVisible(`#d-ach`))
	if got := text(t, ctx, `p.muted`); !strings.Contains(got, "Đang lập hồ sơ") {
		t.Fatalf("after nominating: %q", got)
	}
	page := strings.SplitN(location(t, ctx), "?", 2)[0]
	// Submitting without the dossier names what is missing.
	do(t, ctx, "submit too early",
		chromedp.Click(`//button[contains(., "Trình cấp có thẩm quyền")]`),
		chromedp.WaitVisible(`p.error`))
	if got := text(t, ctx, `main`); !strings.Contains(got, "cần số tờ trình") {
		t.Fatalf("early submission: %q", got)
	}
	do(t, ctx, "complete the dossier",
		chromedp.Navigate(page),
		chromedp.WaitVisible(`#d-ach`),
		chromedp.SetValue(`#d-ach`, "Năm 2023 cung cấp ba tin báo có giá trị cho Công an xã"),
		chromedp.SetValue(`#d-pnum`, "21/TTr-UBND"),
		chromedp.SetValue(`#d-pdate`, "2024-01-12"),
		chromedp.SetValue(`#d-con`, "2024-01-10"),
		chromedp.SetValue(`#d-vtotal`, "7"),
		chromedp.SetValue(`#d-vfor`, "6"),
		chromedp.SetValue(`#d-vagainst`, "1"),
		chromedp.Submit(`#d-ach`),
		chromedp.WaitVisible(`//p[contains(@class, "flash")][contains(., "Đã lưu")]`))
	// The signed tờ trình, scanned, goes into the dossier as a file.
	scan := filepath.Join(t.TempDir(), "to-trinh-21.pdf")
	if err := os.WriteFile(scan, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "upload the tờ trình",
		chromedp.SetValue(`#doc-kind`, "proposal"),
		chromedp.SetUploadFiles(`#doc-file`, []string{scan}),
		chromedp.Click(`//button[contains(., "Tải tệp lên")]`),
		chromedp.WaitVisible(`//a[contains(., "to-trinh-21.pdf")]`))
	do(t, ctx, "submit",
		chromedp.Click(`//button[contains(., "Trình cấp có thẩm quyền")]`),
		chromedp.WaitVisible(`#q-num`))
	do(t, ctx, "decide",
		chromedp.SetValue(`#q-num`, "88/QĐ-UBND"),
		chromedp.SetValue(`#q-date`, "2024-02-15"),
		chromedp.SetValue(`#q-auth`, "Chủ tịch Ủy ban nhân dân phường Tân Phú"),
		chromedp.Submit(`#q-num`),
		chromedp.WaitVisible(`a[href$="/certificate"]`))
	got := text(t, ctx, `main`)
	for _, want := range []string{"Đã có quyết định khen thưởng", "Số 88/QĐ-UBND ngày 15/02/2024", "6/7 đồng ý"} {
		if !strings.Contains(got, want) {
			t.Errorf("decided page lacks %q: %q", want, got)
		}
	}
	if !strings.Contains(got, "to-trinh-21.pdf") || strings.Contains(got, "Tải tệp lên") {
		t.Errorf("the decided dossier's files: %q", got)
	}
	if strings.Contains(got, "Lưu hồ sơ") || strings.Contains(got, "Trình cấp có thẩm quyền") {
		t.Errorf("a decided nomination still offers its dossier form")
	}
	do(t, ctx, "the Giấy khen", chromedp.Click(`a[href$="/certificate"]`), chromedp.WaitVisible(`article.certificate`))
	doc := printPDF(t, ctx, "print-award-giay-khen")
	if len(doc.Pages) != 1 {
		t.Fatalf("the Giấy khen printed on %d pages", len(doc.Pages))
	}
	p := doc.Pages[0]
	if p.Width < p.Height || p.Width < 835 || p.Width > 848 || p.Height < 590 || p.Height > 600 {
		t.Errorf("the Giấy khen is %.0f × %.0f pt, want A4 landscape (842 × 595)", p.Width, p.Height)
	}
	// The PDF text reader does not read every glyph of the bold and italic
	// faces back (Đ, the motto, the signature note): those are checked on
	// the page below.
	for _, want := range []string{"GIẤY KHEN", "Võ Thị Thu", "Số: 88/Q", "Khu phố 1, Phường Tân Bình, Thành phố Đồng Xoài, Tỉnh Bình Phước",
		"CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ", "ngày 15 tháng 02 năm 2024", "năm 2023"} {
		if !pdfHas(p.Text, want) {
			t.Errorf("the printed Giấy khen lacks %q:\n%s", want, p.Text)
		}
	}
	for _, c := range chrome {
		if pdfHas(doc.Text(), c) && c != "Toàn dân bảo vệ an ninh Tổ quốc" { // the movement's name is the citation's
			t.Errorf("the printed Giấy khen carries the application's %q", c)
		}
	}
	page = text(t, ctx, `article.certificate`)
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc", "Số: 88/QĐ-UBND", "(Ký, ghi rõ họ tên, đóng dấu)",
		"Bình Phước, ngày 15 tháng 02 năm 2024", "Tặng"} {
		if !strings.Contains(page, want) {
			t.Errorf("the Giấy khen lacks %q: %q", want, page)
		}
	}
	if strings.Contains(page, "tặng Giấy khen") {
		t.Errorf("the Giấy khen names its form twice: %q", page)
	}
	screenshot(t, ctx, "award-giay-khen")

	do(t, ctx, "the person's page", chromedp.Navigate(base+"/people/"+person), chromedp.WaitVisible(`#awards`))
	if got := text(t, ctx, `main`); !strings.Contains(got, "Giấy khen của Chủ tịch") && !strings.Contains(got, "88/QĐ-UBND") {
		t.Errorf("the person's page lacks the award: %q", got)
	}
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return u
}
