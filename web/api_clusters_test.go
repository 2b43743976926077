package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

type rankingAnswer struct {
	Ranking []struct {
		Unit     struct{ Code, Name string }
		Total    string
		Rank     int
		Tied     bool
		Criteria []struct{ ID, Points, Max string }
	}
	Closed bool
}

func (e *apiEnv) ranking(t *testing.T, id string) rankingAnswer {
	t.Helper()
	status, body := e.do(t, http.MethodGet, "/api/v1/clusters/"+id+"/ranking", "", nil)
	if status != http.StatusOK {
		t.Fatalf("ranking: %d %s", status, body)
	}
	var r rankingAnswer
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// The clusters' API end to end: create, the ranking as the issue names it
// (totals as text in exact tenths, worked out here by hand from the sheet),
// a member's own view and self-score, close, a refused change, reopen.
func TestAPIClusterRanking(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		sys := antq.SystemContext(context.Background())
		for _, code := range []string{"25195-KDC01", "25195-KDC02"} {
			if _, err := db.PutRegistration(sys, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-03-15")}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.PutRecognition(sys, planID, "25195-KDC01", antq.Recognition{Result: "dat", DecidedOn: antq.MustDate("2023-12-20")}); err != nil {
			t.Fatal(err)
		}
		status, body := e.do(t, http.MethodPost, "/api/v1/clusters", "application/json", strings.NewReader(`{"code":"cum-tan-phu","name":"Cụm các khu phố Tân Phú",
			"year":2023,"kind":"cum","organiser":"70","sheet":"binh-phuoc-cum-2023","head":"25195-KDC01",
			"pact":{"number":"01/GƯTĐ","signed_on":"2023-03-01"},"members":[{"code":"25195-KDC01"},{"code":"25195-KDC02"}]}`))
		if status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, body)
		}
		var c struct {
			ID   int64
			View string
		}
		json.Unmarshal(body, &c)
		id := strings.TrimSpace(string(mustJSONNumber(c.ID)))
		// Khu phố 1: registered (5.0 of the bands' 5) and recognised (1/1 ≥ 70 %: 15.0) = 20.0;
		// Khu phố 2: registered only = 5.0.
		r := e.ranking(t, id)
		if len(r.Ranking) != 2 || r.Ranking[0].Unit.Code != "25195-KDC01" || r.Ranking[0].Total != "20.0" || r.Ranking[0].Rank != 1 ||
			r.Ranking[1].Total != "5.0" || r.Ranking[1].Rank != 2 || r.Ranking[0].Tied || r.Closed {
			t.Fatalf("ranking %+v", r)
		}
		// A member sees its own row and its rank only, and scores itself.
		area := e.user(t, "kp2", antq.RoleDataEntry, "25195-KDC02")
		mine := area.ranking(t, id)
		if len(mine.Ranking) != 1 || mine.Ranking[0].Unit.Code != "25195-KDC02" || mine.Ranking[0].Rank != 2 {
			t.Fatalf("member's ranking %+v", mine)
		}
		status, body = area.do(t, http.MethodPatch, "/api/v1/clusters/"+id+"/scores", "application/json",
			strings.NewReader(`{"unit":"25195-KDC02","scores":[{"criterion":"cd.ke-hoach","self":8.5,"self_evidence":"KH 01/KH-KP2"}]}`))
		if status != http.StatusOK {
			t.Fatalf("self-score: %d %s", status, body)
		}
		if got := area.ranking(t, id).Ranking[0].Total; got != "13.5" {
			t.Fatalf("total after the self-score = %s, want 13.5", got)
		}
		status, _ = area.do(t, http.MethodPatch, "/api/v1/clusters/"+id+"/scores", "application/json",
			strings.NewReader(`{"unit":"25195-KDC01","scores":[{"criterion":"cd.ke-hoach","self":10}]}`))
		if status != http.StatusNotFound {
			t.Fatalf("scoring another member: %d, want 404", status)
		}
		// Closed: changes refused; reopening needs a reason.
		if status, body = e.do(t, http.MethodPost, "/api/v1/clusters/"+id+"/ranking/close", "application/json", strings.NewReader(`{}`)); status != http.StatusOK || !strings.Contains(string(body), `"closed":true`) {
			t.Fatalf("close: %d %s", status, body)
		}
		if status, _ = area.do(t, http.MethodPatch, "/api/v1/clusters/"+id+"/scores", "application/json",
			strings.NewReader(`{"unit":"25195-KDC02","scores":[{"criterion":"cd.ke-hoach","self":9}]}`)); status != http.StatusConflict {
			t.Fatalf("score on a closed ranking: %d, want 409", status)
		}
		if status, _ = e.do(t, http.MethodPost, "/api/v1/clusters/"+id+"/ranking/reopen", "application/json", strings.NewReader(`{}`)); status != http.StatusUnprocessableEntity {
			t.Fatalf("reopen without a reason: %d, want 422", status)
		}
		if status, body = e.do(t, http.MethodPost, "/api/v1/clusters/"+id+"/ranking/reopen", "application/json", strings.NewReader(`{"reason":"Khu phố 2 bổ sung minh chứng"}`)); status != http.StatusOK || !strings.Contains(string(body), `"closed":false`) {
			t.Fatalf("reopen: %d %s", status, body)
		}
	})
}

func mustJSONNumber(n int64) []byte { b, _ := json.Marshal(n); return b }
