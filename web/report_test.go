package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"antq"
	"antq/auth"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
)

// demoOn serves the demo province (units and facts) on engine e and returns
// the URL and an administrator's bearer token. On SQLite it is a copy of
// the browser tests' demo template (built once per test binary); on
// PostgreSQL the units and facts are loaded.
func demoOn(t *testing.T, e store.Engine) (string, string) {
	t.Helper()
	sys := antq.SystemContext(context.Background())
	var base string
	var db *store.DB
	if e == store.SQLite {
		base, db = demoServer(t)
	} else {
		db = storetest.Open(t, e)
		if _, err := demo.LoadUnits(sys, db); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.LoadFacts(sys, db); err != nil {
			t.Fatal(err)
		}
		hash, err := fastHasher.Hash(sys, adminPassword)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateUser(sys, store.NewUser{Username: "admin", Role: antq.RoleAdmin, UnitCode: demo.RootCode, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
		base = serveOn(t, db)
	}
	u, err := db.User(sys, "admin")
	if err != nil {
		t.Fatal(err)
	}
	secret := auth.NewToken("antq_")
	if _, err := db.CreateToken(sys, u.ID, "report", auth.HashToken(secret), secret[:9]); err != nil {
		t.Fatal(err)
	}
	return base, secret
}

func fetch(t *testing.T, method, u, token string, form url.Values) (int, http.Header, []byte) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/html")
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

// figure is one target's figure as a page states it.
type figure struct{ value, num, den, target, met string }

var (
	// a dashboard card: its link names the indicator, then its value, its
	// "num / den · chỉ tiêu target" line and its status.
	cardRE     = regexp.MustCompile(`(?s)<article class="card [a-z]+">(.*?)</article>`)
	cardIndRE  = regexp.MustCompile(`<h2><a href="[^"]*ind=([a-z_]+)[^"]*">`)
	cardBigRE  = regexp.MustCompile(`<p class="big">([^<]*)</p>`)
	cardLineRE = regexp.MustCompile(`<p>(?:Số xã đạt: )?([0-9.]+)\x{a0}/\x{a0}([0-9.]+) · chỉ tiêu ([^<]*)</p>`)
	cardStatRE = regexp.MustCompile(`<p class="status">([^<]*)</p>`)
	// a report's figure row.
	rowRE = regexp.MustCompile(`<tr data-indicator="([a-z_]+)"><td>[^<]*</td><td>([^<]*) \(([0-9.]+)/([0-9.]+)\)</td><td>([^<]*)</td><td>([^<]*)</td></tr>`)
	// the first-quarter breakdown of registration on the dashboard.
	onTimeRE = regexp.MustCompile(`Đăng ký trong Quý I: ([0-9.]+)`)
)

func dashboardFigures(t *testing.T, body string) map[string]figure {
	t.Helper()
	out := map[string]figure{}
	for _, c := range cardRE.FindAllStringSubmatch(body, -1) {
		card := c[1]
		ind, big, line, stat := cardIndRE.FindStringSubmatch(card), cardBigRE.FindStringSubmatch(card), cardLineRE.FindStringSubmatch(card), cardStatRE.FindStringSubmatch(card)
		if ind == nil || big == nil || line == nil || stat == nil {
			t.Fatalf("dashboard card not read (indicator %v, value %v, figures %v, status %v):\n%s", ind, big, line, stat, card)
		}
		met := "Chưa có đơn vị thuộc diện tính"
		switch {
		case strings.Contains(stat[1], "✔ Đạt"):
			met = "Đạt"
		case strings.Contains(stat[1], "✘ Chưa đạt"):
			met = "Chưa đạt"
		}
		out[ind[1]] = figure{big[1], line[1], line[2], line[3], met}
	}
	if len(out) != 8 {
		t.Fatalf("dashboard: %d cards read", len(out))
	}
	return out
}

func reportFigures(t *testing.T, body string) map[string]figure {
	t.Helper()
	out := map[string]figure{}
	for _, m := range rowRE.FindAllStringSubmatch(body, -1) {
		out[m[1]] = figure{m[2], m[3], m[4], m[5], m[6]}
	}
	if len(out) != 8 {
		t.Fatalf("report: %d figures read", len(out))
	}
	return out
}

// The year-end report states the dashboard's figures, target by target,
// for the province and for a district; an interim report dated the last
// day of the plan recomputes them from the facts and finds the same; one
// dated 31/03 counts the registrations of the first quarter, as the
// dashboard's breakdown does. Both databases.
//
// Then the narrative: it is stored and printed in the page and in the DOCX,
// which carries the document's frame (issuer, national title, number, place
// and date, recipients, signature) and the same figures as the page; a bad
// draft (signed before its figures' date) is refused by field and changes
// nothing. (One test, so the demo province is set up once per database.)
func TestReport(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, e store.Engine) {
		base, token := demoOn(t, e)
		t.Run("figures equal the dashboard", func(t *testing.T) { reportFiguresEqualDashboard(t, base, token) })
		t.Run("narrative and DOCX", func(t *testing.T) { reportNarrativeAndDOCX(t, base, token) })
	})
}

func reportFiguresEqualDashboard(t *testing.T, base, token string) {
	{
		plan := base + "/plans/" + demo.PlanID
		for _, unit := range []string{"70", "689"} {
			status, _, dash := fetch(t, "GET", plan+"/dashboard?unit="+unit, token, nil)
			if status != 200 {
				t.Fatalf("dashboard %s: %d", unit, status)
			}
			want := dashboardFigures(t, string(dash))
			for _, q := range []string{"", "?kind=so_ket&as_of=2023-12-31"} {
				status, _, rep := fetch(t, "GET", plan+"/units/"+unit+"/report"+q, token, nil)
				if status != 200 {
					t.Fatalf("report %s%s: %d %s", unit, q, status, rep)
				}
				got := reportFigures(t, string(rep))
				for id, w := range want {
					if got[id] != w {
						t.Errorf("unit %s report%s, %s = %+v, dashboard %+v", unit, q, id, got[id], w)
					}
				}
			}
			m := onTimeRE.FindStringSubmatch(string(dash))
			if m == nil {
				t.Fatalf("dashboard %s: no first-quarter breakdown", unit)
			}
			_, _, rep := fetch(t, "GET", plan+"/units/"+unit+"/report?kind=so_ket&as_of=2023-03-31", token, nil)
			got := reportFigures(t, string(rep))
			if got["registration"].num != m[1] || got["registration"].den != want["registration"].den {
				t.Errorf("unit %s interim at 31/03: registration %s/%s, dashboard: %s registered in the first quarter of %s",
					unit, got["registration"].num, got["registration"].den, m[1], want["registration"].den)
			}
			if !strings.Contains(string(rep), "số liệu đến ngày 31/03/2023") {
				t.Errorf("unit %s interim report does not name its date", unit)
			}
		}
		// An interim date outside the plan's window is refused by field.
		if status, _, body := fetch(t, "GET", plan+"/units/70/report?kind=so_ket&as_of=2024-02-01", token, nil); status != http.StatusUnprocessableEntity || !strings.Contains(string(body), "Ngày số liệu ngoài thời gian của kế hoạch") {
			t.Errorf("interim report dated 2024: %d", status)
		}
	}
}

// docxText is the text of word/document.xml, its parts checked: a valid
// ZIP with the parts Word needs, and XML that parses.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("the DOCX is not a ZIP: %v", err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(body)
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels", "docProps/core.xml"} {
		body, ok := parts[name]
		if !ok {
			t.Fatalf("the DOCX lacks %s", name)
		}
		d := xml.NewDecoder(strings.NewReader(body))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", name, err)
			}
		}
	}
	if !strings.Contains(parts["[Content_Types].xml"], "wordprocessingml.document.main+xml") || !strings.Contains(parts["_rels/.rels"], `Target="word/document.xml"`) {
		t.Fatal("the DOCX does not declare its main document")
	}
	var text strings.Builder
	d := xml.NewDecoder(strings.NewReader(parts["word/document.xml"]))
	in := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		switch v := tok.(type) {
		case xml.StartElement:
			in = v.Name.Local == "t"
			if v.Name.Local == "p" {
				text.WriteString("\n")
			}
		case xml.EndElement:
			in = false
		case xml.CharData:
			if in {
				text.Write(v)
			}
		}
	}
	return text.String()
}

func reportNarrativeAndDOCX(t *testing.T, base, token string) {
	{
		rep := base + "/plans/" + demo.PlanID + "/units/70/report"
		form := url.Values{"kind": {"tong_ket"}, "number": {"215/BC-UBND"}, "signed_on": {"2024-01-05"}, "signer_role": {"KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"},
			"signer_name": {"Nguyễn Văn Thử"}, "sections.content-2": {"Toàn tỉnh duy trì 1.024 mô hình tự quản.\nNhiều mô hình được nhân rộng."},
			"sections.assessment": {"Một số xã còn chậm đăng ký."}}
		if status, h, body := fetch(t, "POST", rep, token, form); status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", status, body)
		} else if loc := h.Get("Location"); !strings.Contains(loc, "done=save") {
			t.Fatalf("save redirects to %q", loc)
		}
		_, _, page := fetch(t, "GET", rep, token, nil)
		for _, want := range []string{"ỦY BAN NHÂN DÂN", "TỈNH BÌNH PHƯỚC", "Số: 215/BC-UBND", "Bình Phước, ngày 05 tháng 01 năm 2024",
			"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Tổng kết phong trào thi đua “Toàn dân bảo vệ an ninh Tổ quốc” năm 2023",
			"Thực hiện Kế hoạch số 31/KH-UBND ngày 02 tháng 02 năm 2023", "Toàn tỉnh duy trì 1.024 mô hình tự quản.", "Nhiều mô hình được nhân rộng.",
			"Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "<p><strong>KT. CHỦ TỊCH</strong></p><p><strong>PHÓ CHỦ TỊCH</strong></p>", "Nguyễn Văn Thử", "4. Các chỉ tiêu thi đua", "Nội dung kế hoạch:",
			"II. KẾT QUẢ CÔNG NHẬN VÀ XẾP LOẠI CUỐI NĂM", "IV. ĐỀ NGHỊ KHEN THƯỞNG", "đơn vị chưa đạt"} {
			if !strings.Contains(string(page), want) {
				t.Errorf("report page lacks %q", want)
			}
		}
		status, h, b := fetch(t, "GET", rep+".docx", token, nil)
		if status != 200 || !strings.Contains(h.Get("Content-Type"), "wordprocessingml.document") || !strings.Contains(h.Get("Content-Disposition"), ".docx") {
			t.Fatalf("docx: %d %s", status, h)
		}
		text := docxText(t, b)
		for _, want := range []string{"ỦY BAN NHÂN DÂN", "TỈNH BÌNH PHƯỚC", "Số: 215/BC-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
			"Bình Phước, ngày 05 tháng 01 năm 2024", "BÁO CÁO", "Toàn tỉnh duy trì 1.024 mô hình tự quản.", "Một số xã còn chậm đăng ký.",
			"Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Nguyễn Văn Thử", "Nội dung kế hoạch: "} {
			if !strings.Contains(text, want) {
				t.Errorf("DOCX lacks %q", want)
			}
		}
		// The DOCX states the page's figures.
		for id, f := range reportFigures(t, string(page)) {
			if !strings.Contains(text, f.value+" ("+f.num+"/"+f.den+")") {
				t.Errorf("DOCX lacks %s's figure %s (%s/%s)", id, f.value, f.num, f.den)
			}
		}
		// Signed before the figures' date: refused by field, nothing stored.
		bad := url.Values{"kind": {"tong_ket"}, "signed_on": {"2023-06-01"}, "sections.assessment": {"Không được lưu"}}
		status, _, body := fetch(t, "POST", rep, token, bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(body), "ngày ký không được trước ngày số liệu") || !strings.Contains(string(body), `aria-describedby="signed_on-err"`) {
			t.Fatalf("bad draft: %d", status)
		}
		if _, _, page := fetch(t, "GET", rep, token, nil); strings.Contains(string(page), "Không được lưu") || !strings.Contains(string(page), "Một số xã còn chậm đăng ký.") {
			t.Fatal("a refused draft changed the stored report")
		}
		// An unknown section is refused too.
		if status, _, _ := fetch(t, "POST", rep, token, url.Values{"kind": {"khac"}}); status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown kind: %d", status)
		}
	}
}
