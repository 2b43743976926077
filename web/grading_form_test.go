package web_test

import (
	"net/url"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/yearend"
)

// Issue 16 item 12 through the dossier form: an empty grading dossier
// proposes no grade; a reviewer takes the self scores over as reviewed
// scores only by ticking the box, never silently.
func TestGradingFormProposalAndExplicitReview(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("tinh", antq.RoleAdmin, "70", "Trần Văn Tỉnh")
		page := "/plans/binh-phuoc-2023/units/25195-KDC01/dossiers/grading"
		res := e.do(request{method: "GET", path: page, as: admin, cred: session})
		if res.status != 200 || !strings.Contains(res.body, "Xếp loại đề xuất: <strong>chưa đề xuất</strong>") || !strings.Contains(res.body, "Chưa nhập điểm nào") {
			t.Fatalf("empty dossier page: %d\n%s", res.status, truncate(res.body))
		}
		d, err := db.Dossier(e.sys, "binh-phuoc-2023", "25195-KDC01", yearend.DossierGrading)
		if err != nil {
			t.Fatal(err)
		}
		self := url.Values{}
		for _, s := range d.Scores {
			self.Set("self."+s.Item.ID, s.Item.MaxPoints.VN())
		}
		if res := e.do(request{method: "POST", path: page, as: admin, cred: session, form: self}); res.status != 303 {
			t.Fatalf("save self scores: %d %s", res.status, truncate(res.body))
		}
		d, _ = db.Dossier(e.sys, "binh-phuoc-2023", "25195-KDC01", yearend.DossierGrading)
		if d.ReviewedScored != 0 || d.ReviewedTotal != 0 || d.GradeBasis != yearend.GradeFromSelf {
			t.Fatalf("self scores saved: reviewed %d items, total %v, basis %q", d.ReviewedScored, d.ReviewedTotal, d.GradeBasis)
		}
		// The box takes them over, explicitly.
		take := url.Values{"reviewed_from_self": {"1"}}
		if res := e.do(request{method: "POST", path: page, as: admin, cred: session, form: take}); res.status != 303 {
			t.Fatalf("take self scores over: %d %s", res.status, truncate(res.body))
		}
		d, _ = db.Dossier(e.sys, "binh-phuoc-2023", "25195-KDC01", yearend.DossierGrading)
		if d.ReviewedScored != len(d.Scores) || d.ReviewedTotal != d.SelfTotal || d.GradeBasis != yearend.GradeFromReviewed {
			t.Fatalf("after taking over: reviewed %d/%d items, total %v (self %v), basis %q", d.ReviewedScored, len(d.Scores), d.ReviewedTotal, d.SelfTotal, d.GradeBasis)
		}
	})
}
