package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"antq"
	"antq/auth"
	"antq/store"
	"antq/store/storetest"
	"antq/yearend"
)

// as returns an API client acting as a new account.
func (e *apiEnv) as(t *testing.T, username string, role antq.Role, unit string) *apiEnv {
	t.Helper()
	sys := antq.SystemContext(t.Context())
	u, err := e.db.CreateUser(sys, store.NewUser{Username: username, Role: role, UnitCode: unit, PasswordHash: "unused"})
	if err != nil {
		t.Fatal(err)
	}
	token := auth.NewToken("antq_")
	if _, err := e.db.CreateToken(sys, u.ID, "test", auth.HashToken(token), token[:9]); err != nil {
		t.Fatal(err)
	}
	return &apiEnv{url: e.url, token: token, db: e.db}
}

// TestSelfCertificationRefused is the review's attack over HTTP: a reviewer
// scoped to one residential area fills its recognition dossier and submits
// it, then tries to review and decide it through the API, the page and the
// inbox. Each attempt is refused with the reason (403), logged and audited;
// the page offers the step no more and says why.
func TestSelfCertificationRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		area := e.addUser("kp1-ct", antq.RoleReviewer, inUnit, "Công an viên khu phố 1")
		_, err := db.PutRegistration(e.sys, planID, inUnit, antq.Registration{RegisteredOn: antq.MustDate("2023-02-10")})
		e.must(err)
		d, err := db.Dossier(e.sys, planID, inUnit, yearend.DossierRecognition)
		e.must(err)
		var crit, docs []map[string]any
		for _, c := range d.Criteria {
			crit = append(crit, map[string]any{"id": c.Criterion.ID, "verdict": "met", "override_reason": "tự đánh giá"})
		}
		for _, doc := range d.Documents {
			docs = append(docs, map[string]any{"code": doc.Doc.Code, "number": "01/KP1", "date": "2023-11-05"})
		}
		api := factsAPI(inUnit) + "/dossiers/recognition"
		page := factsPage(inUnit) + "/dossiers/recognition"
		if res := e.do(request{method: "PATCH", path: api, as: area, cred: bearer, json: map[string]any{"criteria": crit, "documents": docs}}); res.status != 200 {
			t.Fatalf("fill = %d %s", res.status, truncate(res.body))
		}
		if res := e.do(request{method: "POST", path: api + "/submit", as: area, cred: bearer}); res.status != 200 {
			t.Fatalf("submit = %d %s", res.status, truncate(res.body))
		}
		const why = "không được thẩm định hồ sơ của đơn vị mình"
		before := e.logs.count(`"msg":"refused"`)
		for _, r := range []request{
			{method: "POST", path: api + "/review", as: area, cred: bearer},
			{method: "POST", path: page + "/review", as: area, cred: session, form: url.Values{}},
		} {
			res := e.do(r)
			if res.status != http.StatusForbidden || !strings.Contains(res.body, why) {
				t.Fatalf("%s %s = %d, want 403 saying %q:\n%s", r.method, r.path, res.status, why, truncate(res.body))
			}
		}
		res := e.do(request{method: "POST", path: "/api/v1/plans/" + planID + "/dossiers/recognition/review", as: area, cred: bearer,
			json: map[string]any{"units": []string{inUnit}}})
		if res.status != 200 || !strings.Contains(res.body, why) || !strings.Contains(res.body, `"succeeded":0`) {
			t.Fatalf("bulk review = %d %s", res.status, truncate(res.body))
		}
		if got := e.logs.count(`"msg":"refused"`) - before; got != 2 {
			t.Errorf("%d refusals logged, want 2", got)
		}
		// The page offers no review, and says why.
		res = e.do(request{method: "GET", path: page, as: area, cred: session})
		if res.status != 200 || strings.Contains(res.body, "action-review") || !strings.Contains(res.body, "Xác nhận thẩm định: Tài khoản thuộc chính đơn vị") {
			t.Fatalf("dossier page = %d:\n%s", res.status, truncate(res.body))
		}
		// So does the API's dossier, with who submitted it.
		res = e.do(request{method: "GET", path: api, as: area, cred: bearer})
		if !strings.Contains(res.body, `"submitted_by":"kp1-ct"`) || !strings.Contains(res.body, `"review":"Tài khoản thuộc chính đơn vị`) {
			t.Fatalf("dossier JSON lacks the submitter or the refusal:\n%s", truncate(res.body))
		}
		// Nothing changed; three refusals are in the audit trail.
		d, err = db.Dossier(e.sys, planID, inUnit, yearend.DossierRecognition)
		if err != nil || d.State != "submitted" {
			t.Fatalf("dossier after the refusals: %v, %v", d.State, err)
		}
		recs, err := db.AuditRecords(e.sys, store.AuditFilter{Entity: "dossier_recognition", Action: "refused"})
		e.must(err)
		if len(recs) != 3 || recs[0].Username != "kp1-ct" || !strings.Contains(recs[0].Reason, why) {
			t.Fatalf("audited refusals = %+v", recs)
		}
	})
}
