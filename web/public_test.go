package web_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// TestPublicPageShowsOnlyPublishedAndConsented reads every URL reachable
// from /public as an anonymous client (pages, photos, press kits, unpacked)
// and finds no unpublished case, no name or birth year that was not
// consented, no photo of a case whose consent leaves photos out, and none
// of what the review recorded.
func TestPublicPageShowsOnlyPublishedAndConsented(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sys := e.sys
		person := func(name string, birth int, code string) int64 {
			p, err := db.CreatePerson(sys, antq.PersonInput{UnitCode: code, FullName: name, BirthYear: birth, Gender: antq.GenderFemale, Role: "to_bao_ve_antt", NationalID: fmt.Sprintf("0700000%05d", birth)})
			e.must(err)
			return p.ID
		}
		named := person("Trần Thị Bình", 1975, "25195-KDC01")   // consents to name and birth year, no photos
		initials := person("Lê Thị Hoa", 1981, "25195-KDC02")   // consents to photos only
		hidden := person("Phạm Thị Kín", 1990, "25200-KDC01")   // reviewed, not published
		withdrawn := person("Võ Thị Rút", 1992, "25195-KDC01")  // published, then withdrawn
		reported := person("Đặng Thị Chờ", 1993, "25195-KDC02") // only reported
		story := strings.Repeat("Bà đã phát hiện và báo tin kịp thời cho Công an phường về một vụ trộm cắp tài sản. ", 2)
		newCase := func(title string, p int64, code string, photo bool) int64 {
			c, err := db.CreateExemplar(sys, antq.ExemplarInput{UnitCode: code, Subject: antq.SubjectPerson, PersonID: p, Title: title,
				Deed: "Báo tin kịp thời một vụ trộm cắp", OccurredOn: antq.MustDate("2023-05-20"), Place: "Khu phố", Story: story, Source: "Công an phường Tân Phú"})
			e.must(err)
			if photo {
				_, err = db.AddExemplarPhoto(sys, c.ID, "anh.jpg", "Ảnh "+title, bytes.NewReader(jpeg))
				e.must(err)
			}
			return c.ID
		}
		step := func(id int64, a antq.ExemplarAction, s antq.ExemplarStep) {
			_, err := db.StepExemplar(sys, id, a, s)
			e.must(err)
		}
		consent := func(id int64, name, birth, photos bool) {
			step(id, antq.ExemplarConsent, antq.ExemplarStep{Consent: &antq.Consent{On: antq.MustDate("2023-08-01"), By: "Bà Chủ Hồ Sơ", Document: "Phiếu đồng ý số 7-BÍ-MẬT", Name: name, BirthYear: birth, Photos: photos}})
		}
		publish := func(id int64) {
			step(id, antq.ExemplarReview, antq.ExemplarStep{Note: "Ghi chú thẩm tra BÍ-MẬT"})
			step(id, antq.ExemplarPublish, antq.ExemplarStep{})
		}
		c1 := newCase("Gương công bố có tên", named, "25195-KDC01", true)
		consent(c1, true, true, false)
		publish(c1)
		c2 := newCase("Gương công bố viết tắt", initials, "25195-KDC02", true)
		consent(c2, false, false, true)
		publish(c2)
		c3 := newCase("Gương CHƯA-CÔNG-BỐ đã thẩm tra", hidden, "25200-KDC01", true)
		consent(c3, true, true, true)
		step(c3, antq.ExemplarReview, antq.ExemplarStep{})
		c4 := newCase("Gương ĐÃ-GỠ", withdrawn, "25195-KDC01", true)
		consent(c4, true, true, true)
		publish(c4)
		step(c4, antq.ExemplarWithdraw, antq.ExemplarStep{Note: "Rút lại sự đồng ý"})
		newCase("Gương CHỜ-THẨM-TRA", reported, "25195-KDC02", true)

		// A standing of a published person and a file of a nomination of
		// theirs never reach the public pages.
		_, err := db.AddStanding(sys, named, antq.StandingInput{Standing: antq.StandingProsecuted, From: antq.MustDate("2024-01-10"), Source: "Quyết định khởi tố BÍ-MẬT số 9"})
		e.must(err)
		nom, err := db.CreateNomination(sys, antq.NominationInput{PlanID: planID, FormCode: "bang_khen_chu_tich_tinh", PersonID: named, NominatedBy: "25195", Reasons: "Báo tin kịp thời"})
		e.must(err)
		_, err = db.AddNominationDocument(sys, nom.ID, antq.DocumentProposal, "to-trinh-BÍ-MẬT.pdf", bytes.NewReader(pdf))
		e.must(err)

		forbidden := []string{"truy cứu", "CHƯA-CÔNG-BỐ", "ĐÃ-GỠ", "CHỜ-THẨM-TRA", "Phạm Thị Kín", "Võ Thị Rút", "Đặng Thị Chờ", "Lê Thị Hoa", "1981",
			"BÍ-MẬT", "Bà Chủ Hồ Sơ", "0700000", "system"}
		// Crawl: every href and src under /public, from /public.
		link := regexp.MustCompile(`(?:href|src)="(/public[^"]*)"`)
		seen := map[string]bool{}
		queue := []string{"/public"}
		var texts []string
		photos := 0
		for len(queue) > 0 {
			u := strings.ReplaceAll(queue[0], "&amp;", "&")
			queue = queue[1:]
			if seen[u] {
				continue
			}
			seen[u] = true
			res := e.do(request{method: http.MethodGet, path: u})
			if res.status != http.StatusOK {
				t.Fatalf("GET %s anonymously: %d", u, res.status)
			}
			switch ct := res.header.Get("Content-Type"); {
			case strings.HasPrefix(ct, "text/html"):
				texts = append(texts, u+"\n"+res.body)
				for _, m := range link.FindAllStringSubmatch(res.body, -1) {
					queue = append(queue, m[1])
				}
			case ct == "application/zip":
				z, err := zip.NewReader(strings.NewReader(res.body), int64(len(res.body)))
				if err != nil {
					t.Fatalf("%s: %v", u, err)
				}
				for _, f := range z.File {
					r, _ := f.Open()
					b, _ := io.ReadAll(r)
					r.Close()
					if strings.HasSuffix(f.Name, ".txt") {
						texts = append(texts, u+" "+f.Name+"\n"+string(b))
					} else if !bytes.Equal(b, jpeg) {
						t.Errorf("%s %s: not the photo uploaded", u, f.Name)
					}
				}
			case ct == "image/jpeg":
				photos++
			default:
				t.Errorf("%s: unexpected type %s", u, ct)
			}
		}
		all := strings.Join(texts, "\n")
		for _, f := range forbidden {
			if i := strings.Index(all, f); i >= 0 {
				t.Errorf("the public pages show %q: …%s…", f, all[max(0, i-200):min(len(all), i+100)])
			}
		}
		for _, want := range []string{"Trần Thị Bình", "sinh năm 1975", "L.T.H.", "Gương công bố có tên", "Gương công bố viết tắt",
			fmt.Sprintf("/public/cases/%d/press-kit.zip", c1), fmt.Sprintf("/public/cases/%d/press-kit.zip", c2)} {
			if !strings.Contains(all, want) {
				t.Errorf("the public pages lack %q", want)
			}
		}
		// Photos: the case consenting to photos shows its one; the case
		// that did not consent shows none, and its photo's URL is 404.
		if photos != 1 {
			t.Errorf("%d photos reachable, want 1", photos)
		}
		c1case, err := db.Exemplar(sys, c1)
		e.must(err)
		for _, id := range []int64{c1, c3, c4} {
			var ph int64
			if id == c1 {
				ph = c1case.Photos[0].ID
			} else {
				x, err := db.Exemplar(sys, id)
				e.must(err)
				ph = x.Photos[0].ID
			}
			for _, u := range []string{fmt.Sprintf("/public/cases/%d/photos/%d", id, ph), fmt.Sprintf("/public/cases/%d", id), fmt.Sprintf("/public/cases/%d/press-kit.zip", id)} {
				if id == c1 && !strings.Contains(u, "photos") {
					continue
				}
				if res := e.do(request{method: http.MethodGet, path: u}); res.status != http.StatusNotFound {
					t.Errorf("GET %s anonymously: %d, want 404", u, res.status)
				}
			}
		}
		// The private pages stay private.
		for _, u := range []string{fmt.Sprintf("/cases/%d", c1), "/people", fmt.Sprintf("/people/%d", named)} {
			if res := e.do(request{method: http.MethodGet, path: u}); res.status != http.StatusSeeOther {
				t.Errorf("GET %s anonymously: %d, want a redirect to the login", u, res.status)
			}
		}
	})
}
