package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// TestCrossOriginSchemeMatters: an Origin must match the server's own
// origin in scheme, host and port, not only in host. Over plain http,
// "Origin: https://host" is another origin; a server configured as served
// over TLS (behind a proxy) is https://host and refuses http://host.
func TestCrossOriginSchemeMatters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		for _, tc := range []struct {
			name   string
			secure bool
			ok, no []string // Origin schemes accepted, refused
		}{
			{"plain http", false, []string{"http"}, []string{"https"}},
			{"served over TLS", true, []string{"https"}, []string{"http"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				db := db
				if tc.name != "plain http" {
					db = storetest.Open(t, db.Engine())
				}
				e := newEnv(t, db, envOptions{secureCookies: tc.secure})
				u := e.addUser("canbo", antq.RoleReviewer, "25195", "")
				host := strings.TrimPrefix(e.srv.URL, "http://")
				post := func(origin string, cred credential) response {
					r := request{method: "POST", path: factsPage(inUnit) + "/registration", as: u, cred: cred,
						header: http.Header{"Origin": {origin}}, form: url.Values{"registered_on": {"2023-03-15"}}}
					if cred == bearer {
						r = request{method: "PUT", path: factsAPI(inUnit) + "/registration", as: u, cred: bearer,
							header: http.Header{"Origin": {origin}}, json: map[string]any{"registered_on": "2023-03-15"}}
					}
					return e.do(r)
				}
				for _, scheme := range tc.no {
					for _, cred := range []credential{session, bearer} {
						if res := post(scheme+"://"+host, cred); res.status != http.StatusForbidden || !strings.Contains(res.body, `"code":"forbidden"`) {
							t.Errorf("Origin %s://%s: %d %s", scheme, host, res.status, truncate(res.body))
						}
					}
				}
				for _, origin := range []string{"null", "http://evil.example", "https://" + host + "/x", "https://" + host + ".evil.example"} {
					if res := post(origin, session); res.status != http.StatusForbidden {
						t.Errorf("Origin %s: %d", origin, res.status)
					}
				}
				if _, facts, err := db.UnitFacts(e.sys, planID, inUnit); err != nil || facts.Registration != nil {
					t.Fatalf("a cross-origin write went through: %+v %v", facts.Registration, err)
				}
				for _, scheme := range tc.ok {
					if res := post(scheme+"://"+host, session); res.status != http.StatusSeeOther {
						t.Errorf("Origin %s://%s (own origin): %d %s", scheme, host, res.status, truncate(res.body))
					}
				}
			})
		}
	})
}
