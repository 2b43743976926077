package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/yearend"
)

// TestFormsRefuseInvalidUTF8 posts, to every form route of web/routes.go
// (every POST outside /api/), a form with one field that is not UTF-8 — a
// field the handler reads for the data-entry forms, any field for the
// others: each answers 422 with the reason and changes nothing (no audit
// record, so no write). A new form route is covered by construction.
func TestFormsRefuseInvalidUTF8(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")
		w := &world{env: e}
		modelID, incidentID := w.model(inUnit), w.incident(inUnit)
		_, err := db.UpdateDossier(e.sys, planID, inUnit, yearend.DossierRecognition, yearend.DossierInput{})
		e.must(err)
		const bad = "12/\xffBC-CAX"
		path := strings.NewReplacer("{plan}", planID, "{code}", inUnit, "{kind}", "recognition", "{action}", "submit").Replace
		auditCount := func() int {
			recs, err := db.AuditRecords(e.sys, store.AuditFilter{Limit: 1000})
			e.must(err)
			return len(recs)
		}
		before := auditCount()
		n := 0
		for _, rt := range routesFromSource(t) {
			method, pattern, _ := strings.Cut(rt.key, " ")
			if method != http.MethodPost || strings.HasPrefix(pattern, "/api/") {
				continue
			}
			if pattern == "/logout" {
				continue // reads no field and stores nothing
			}
			p := path(pattern)
			p = strings.Replace(p, "/models/{id}", fmt.Sprintf("/models/%d", modelID), 1)
			p = strings.Replace(p, "/incidents/{id}", fmt.Sprintf("/incidents/%d", incidentID), 1)
			r := request{method: "POST", path: p, as: admin, cred: session,
				// action=delete: a deletion too must be refused.
				form: url.Values{"doc_number": {bad}, "action": {"delete"}, "username": {admin.user.Username}, "password": {admin.password}}}
			if strings.HasSuffix(pattern, "/evidence-form") {
				var buf bytes.Buffer
				mw := multipart.NewWriter(&buf)
				mw.WriteField("fact", "registration")
				mw.WriteField("note", bad)
				fw, _ := mw.CreateFormFile("file", "bien-ban.pdf")
				fw.Write(pdf)
				mw.Close()
				r.form, r.raw, r.contentType = nil, buf.Bytes(), mw.FormDataContentType()
			}
			if pattern == "/login" {
				r.as = nil
			}
			res := e.do(r)
			n++
			if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "không phải UTF-8") {
				t.Errorf("%s: %d, want 422 refusing the invalid UTF-8:\n%s", rt.key, res.status, truncate(res.body))
			}
			if strings.Contains(res.body, "\xff") {
				t.Errorf("%s: the page echoes the invalid bytes", rt.key)
			}
		}
		if n < 12 {
			t.Fatalf("only %d form routes found", n)
		}
		// A form that would be saved otherwise: the value with the bad byte
		// is not stored.
		res := e.do(request{method: "POST", path: factsPage(inUnit) + "/registration", as: admin, cred: session,
			form: url.Values{"registered_on": {"2023-03-15"}, "doc_number": {bad}, "doc_date": {"2023-03-10"}}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "không phải UTF-8") {
			t.Errorf("registration with a bad document number: %d", res.status)
		}
		if _, facts, err := db.UnitFacts(e.sys, planID, inUnit); err != nil || facts.Registration != nil {
			t.Errorf("stored: %+v, %v", facts.Registration, err)
		}
		if after := auditCount(); after != before {
			t.Fatalf("%d audit records appeared: a refused form changed something", after-before)
		}
	})
}
