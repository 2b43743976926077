package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"antq/store"
	"antq/store/storetest"
	"antq/web"
)

// slowPost starts a POST whose body arrives only when the returned function
// is called: until then the handler holds its admission slot, reading.
func slowPost(t *testing.T, url string) (finish func() *http.Response) {
	t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", url, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	done := make(chan *http.Response, 1)
	go func() {
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Errorf("slow POST: %v", err)
			done <- nil
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		done <- res
	}()
	pw.Write([]byte("username=ai&"))
	var once sync.Once
	var res *http.Response
	finish = func() *http.Response {
		once.Do(func() {
			pw.Write([]byte("password=sai"))
			pw.Close()
			res = <-done
		})
		return res
	}
	// A failed test still ends the request, or closing the server would
	// wait for it forever.
	t.Cleanup(func() { finish() })
	return finish
}

// Past its class's bound, a request waits briefly and is then refused with
// 503 and Retry-After, in Vietnamese, as JSON or as a page; other classes
// and the health checks are served meanwhile, and the class serves again
// once the slot is free.
func TestAdmissionShedsAFullClass(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, envOptions{limits: web.Limits{Logins: 1, Queue: 20 * time.Millisecond}})
		finish := slowPost(t, e.srv.URL+"/login")
		// Wait until the slow login holds the only login slot. The probe's
		// username is not UTF-8: a probe that gets through before the slot
		// is held is refused unread (422) and not counted as a failed
		// login, so on a slow machine the throttle (429) never answers
		// in the admission's place.
		var shed response
		for range 200 {
			shed = e.do(request{method: "POST", path: "/login", form: map[string][]string{"username": {"ai\xff"}, "password": {"sai"}},
				header: http.Header{"Accept": {"application/json"}}})
			if shed.status == http.StatusServiceUnavailable {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if shed.status != http.StatusServiceUnavailable {
			t.Fatalf("a second login while the only slot is held: %d %s, want 503", shed.status, shed.body)
		}
		if got := shed.header.Get("Retry-After"); got != "2" {
			t.Errorf("Retry-After = %q, want 2", got)
		}
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal([]byte(shed.body), &body); err != nil || body.Error.Code != "unavailable" || !strings.Contains(body.Error.Message, "quá tải") {
			t.Errorf("503 body = %s (%v), want code unavailable and a Vietnamese message", shed.body, err)
		}
		page := e.do(request{method: "POST", path: "/login", form: map[string][]string{"username": {"ai"}, "password": {"sai"}}})
		if page.status != http.StatusServiceUnavailable || !strings.Contains(page.body, "quá tải") || !strings.Contains(page.header.Get("Content-Type"), "text/html") {
			t.Errorf("503 for a browser = %d %q %s, want a Vietnamese page", page.status, page.header.Get("Content-Type"), page.body)
		}
		// Other classes and health checks are not held back.
		if res := e.do(request{method: "GET", path: "/healthz"}); res.status != http.StatusOK {
			t.Errorf("healthz while logins are full: %d", res.status)
		}
		if res := e.do(request{method: "GET", path: "/login"}); res.status != http.StatusOK {
			t.Errorf("the login page (a read) while logins are full: %d", res.status)
		}
		if res := finish(); res == nil || res.StatusCode == http.StatusServiceUnavailable {
			t.Fatalf("the slow login itself was shed: %v", res)
		}
		// The slot is free: logins are served again (a wrong password: 200
		// with the form again, or the throttle's 429 — anything but 503).
		if res := e.do(request{method: "POST", path: "/login", form: map[string][]string{"username": {"ai"}, "password": {"sai"}}}); res.status == http.StatusServiceUnavailable {
			t.Errorf("after the slot was freed: still 503")
		}
	})
}
