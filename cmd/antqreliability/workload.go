package main

// The write workload and what it remembers. Each writer owns a set of
// residential areas and changes them one request at a time through the
// API: registration, propaganda figures (which only go up), models,
// evidence uploads, and the recognition dossier's steps (save, submit by
// the data entry, review by the reviewer, decide and reopen by the
// decider). Before a request the writer notes what it attempts; after a
// 2xx it notes the write as acknowledged (and appends it to the ack log).
// A refused request (4xx) must change nothing, so the attempt is
// forgotten. A request without an answer (the server was killed) stays
// "attempted": afterwards the server may show it or not.
//
// check compares the server with that record: everything acknowledged
// must be there, nothing that was never attempted may be, and each value
// lies between the last acknowledged and the last attempted one.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const apiPlan = "/api/v1/plans/" + planID

// client calls the API of the running instance.
type client struct {
	in   *instance
	http *http.Client
}

func newClient(in *instance) *client {
	return &client{in: in, http: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}}
}

// errNoAnswer is a request the server never answered (it was killed).
var errNoAnswer = errors.New("no answer")

func (c *client) do(ctx context.Context, token, method, path, contentType string, body []byte) (int, []byte, error) {
	base := c.in.url()
	if base == "" {
		return 0, nil, errNoAnswer
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %v", errNoAnswer, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %v", errNoAnswer, err)
	}
	return resp.StatusCode, b, nil
}

func (c *client) getJSON(ctx context.Context, token, path string, v any) error {
	status, body, err := c.do(ctx, token, "GET", path, "", nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET %s = %d %s", path, status, body)
	}
	return json.Unmarshal(body, v)
}

// ---- what the writers remember ----

type modelRec struct {
	id      int64 // 0 while only attempted
	members int64
	acked   bool
}

type evidenceRec struct {
	id       int64
	size     int
	acked    bool
	verified bool // downloaded once and compared
}

// dossierStep is the state a dossier reaches after a step.
type dossierStep struct {
	action   string // "" for the initial state
	state    string
	doc      string // the number of the first required document, once saved
	decision string // the decision number, for decided
}

type unitState struct {
	code string

	regAttempted, regAcked bool
	propAcked, propTried   int64 // propaganda "reached"; 0 = none
	models                 map[string]*modelRec
	evidence               map[string]*evidenceRec // by SHA-256

	steps     []dossierStep
	stepAcked int // index in steps of the last acknowledged step
	round     int // numbers documents and decisions; only goes up, so each is new
}

func newUnitState(code string) *unitState {
	return &unitState{code: code, models: map[string]*modelRec{}, evidence: map[string]*evidenceRec{},
		steps: []dossierStep{{state: "draft"}}}
}

// stats are the run's counters, shared by the writers.
type stats struct {
	acked      atomic.Int64 // acknowledged writes
	refused    atomic.Int64 // 4xx answers to writes
	unanswered atomic.Int64 // writes in flight when the server died
	checked    atomic.Int64 // acknowledged facts compared with the server
	downloads  atomic.Int64 // evidence files downloaded and hashed
	byKind     sync.Map     // kind → *atomic.Int64
	maxLatency atomic.Int64 // the slowest write since resetLatency, in nanoseconds
}

func (s *stats) latency(d time.Duration) {
	for {
		cur := s.maxLatency.Load()
		if int64(d) <= cur || s.maxLatency.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

func (s *stats) ack(kind string) {
	s.acked.Add(1)
	v, _ := s.byKind.LoadOrStore(kind, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

func (s *stats) kinds() string {
	var parts []string
	s.byKind.Range(func(k, v any) bool {
		parts = append(parts, fmt.Sprintf("%s %d", k, v.(*atomic.Int64).Load()))
		return true
	})
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// ackLog is the append-only record of acknowledged writes (JSON lines).
type ackLog struct {
	mu sync.Mutex
	f  *os.File
}

func (l *ackLog) write(v any) {
	if l == nil || l.f == nil {
		return
	}
	b, _ := json.Marshal(v)
	l.mu.Lock()
	l.f.Write(append(b, '\n'))
	l.mu.Unlock()
}

// workload is the writers and their units.
type workload struct {
	c       *client
	tok     tokens
	writers [][]*unitState
	stats   *stats
	log     *ackLog
	seq     atomic.Int64
	// noDossiers and noEvidence leave those writes out (a version of antq
	// without dossiers, or without an evidence directory).
	noDossiers, noEvidence bool
	// proxied: the writes go through a reverse proxy, whose 502 and 504
	// mean that the server behind it died or hung with the write in
	// flight: unanswered, like a connection the killed server dropped.
	proxied bool
	// unexpected collects answers that mean a bug: 5xx, or a 4xx the
	// workload did not expect.
	mu         sync.Mutex
	unexpected map[string]int
}

func newWorkload(c *client, tok tokens, writers, areas int, log *ackLog) *workload {
	w := &workload{c: c, tok: tok, writers: make([][]*unitState, writers), stats: &stats{}, log: log}
	for i := 1; i <= areas; i++ {
		w.writers[i%writers] = append(w.writers[i%writers], newUnitState(areaCode(i)))
	}
	return w
}

// runFor runs the writers for d.
func (w *workload) runFor(ctx context.Context, d time.Duration, seed uint64) {
	stop := make(chan struct{})
	time.AfterFunc(d, func() { close(stop) })
	w.run(ctx, stop, seed)
}

func (w *workload) units() []*unitState {
	var all []*unitState
	for _, us := range w.writers {
		all = append(all, us...)
	}
	return all
}

func (w *workload) fail(format string, args ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.unexpected == nil {
		w.unexpected = map[string]int{}
	}
	if msg := fmt.Sprintf(format, args...); len(w.unexpected) < 20 || w.unexpected[msg] > 0 {
		w.unexpected[msg]++
	}
}

// problems lists the unexpected answers, each once with its count.
func (w *workload) problems() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for msg, n := range w.unexpected {
		out = append(out, fmt.Sprintf("%d× %s", n, msg))
	}
	sort.Strings(out)
	return out
}

// run drives every writer until stop is closed (each finishes the request
// it is making, so nothing is left in flight) or the server stops
// answering. It returns when all writers have stopped.
func (w *workload) run(ctx context.Context, stop <-chan struct{}, seed uint64) {
	var wg sync.WaitGroup
	for i, us := range w.writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			for ctx.Err() == nil {
				select {
				case <-stop:
					return
				default:
				}
				u := us[rng.IntN(len(us))]
				if err := w.step(ctx, rng, u); err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
}

// result is how one write request ended.
type result int

const (
	acked result = iota
	refused
	unanswered
)

// send sends a write and classifies the answer. A 5xx is a bug; a 4xx is
// recorded as unexpected unless the caller expects refusals.
func (w *workload) send(ctx context.Context, token, method, path, ct string, body []byte) (result, []byte) {
	start := time.Now()
	status, resp, err := w.c.do(ctx, token, method, path, ct, body)
	w.stats.latency(time.Since(start))
	switch {
	case err != nil:
		w.stats.unanswered.Add(1)
		return unanswered, nil
	case status >= 200 && status < 300:
		return acked, resp
	case w.proxied && (status == http.StatusBadGateway || status == http.StatusGatewayTimeout):
		w.stats.unanswered.Add(1)
		return unanswered, nil
	case status >= 500:
		w.fail("%s %s = %d %s", method, path, status, resp)
	default:
		w.stats.refused.Add(1)
		w.fail("%s %s = %d %s", method, path, status, resp)
	}
	return refused, resp
}

// step makes one write on u. It returns an error when the server did not
// answer (the writer then stops until the next cycle).
func (w *workload) step(ctx context.Context, rng *rand.Rand, u *unitState) error {
	if !u.regAcked {
		return w.register(ctx, u)
	}
	switch r := rng.IntN(9); {
	case r < 3 || (r >= 5 && w.noDossiers):
		return w.propaganda(ctx, u)
	case r < 4 || (r < 5 && w.noEvidence):
		return w.model(ctx, u)
	case r < 5:
		return w.upload(ctx, rng, u)
	default:
		return w.dossier(ctx, u)
	}
}

func (w *workload) outcome(res result, kind string, u *unitState, detail any) error {
	switch res {
	case acked:
		w.stats.ack(kind)
		w.log.write(map[string]any{"t": time.Now().UTC().Format(time.RFC3339Nano), "kind": kind, "unit": u.code, "detail": detail})
		return nil
	case unanswered:
		return errNoAnswer
	}
	return nil
}

func (w *workload) register(ctx context.Context, u *unitState) error {
	u.regAttempted = true
	res, _ := w.send(ctx, w.tok.entry, "PUT", apiPlan+"/units/"+u.code+"/registration", "application/json",
		[]byte(`{"registered_on":"2023-02-10","document":{"number":"DK-`+u.code+`","date":"2023-02-09","issuer":"Khu phố","title":"Đăng ký"}}`))
	switch res {
	case acked:
		u.regAcked = true
	case refused:
		u.regAttempted = false
	}
	return w.outcome(res, "registration", u, nil)
}

func (w *workload) propaganda(ctx context.Context, u *unitState) error {
	next := max(u.propAcked, u.propTried) + 1
	prev := u.propTried
	u.propTried = next
	res, _ := w.send(ctx, w.tok.entry, "PUT", apiPlan+"/units/"+u.code+"/propaganda", "application/json",
		fmt.Appendf(nil, `{"reached":%d,"as_of":"2023-10-31"}`, next))
	switch res {
	case acked:
		u.propAcked = next
	case refused:
		u.propTried = prev
	}
	return w.outcome(res, "propaganda", u, next)
}

func (w *workload) model(ctx context.Context, u *unitState) error {
	n := w.seq.Add(1)
	name := fmt.Sprintf("Mô hình tự quản %s-%d", u.code, n)
	m := &modelRec{members: n}
	u.models[name] = m
	body, _ := json.Marshal(map[string]any{"name": name, "kind": "tu_quan", "status": "new",
		"started_on": "2023-05-01", "members": n})
	res, resp := w.send(ctx, w.tok.entry, "POST", apiPlan+"/units/"+u.code+"/models", "application/json", body)
	switch res {
	case acked:
		var got struct{ ID int64 }
		if err := json.Unmarshal(resp, &got); err != nil || got.ID == 0 {
			w.fail("model create answered %s", resp)
		}
		m.id, m.acked = got.ID, true
	case refused:
		delete(u.models, name)
	}
	return w.outcome(res, "model", u, name)
}

func (w *workload) upload(ctx context.Context, rng *rand.Rand, u *unitState) error {
	// A small PDF that is unique to this upload.
	noise := make([]byte, 512+rng.IntN(6<<10))
	for i := range noise {
		noise[i] = byte('a' + rng.IntN(26))
	}
	content := append(append([]byte("%PDF-1.4\n% "), noise...), "\n%%EOF\n"...)
	sum := sha256.Sum256(content)
	hash := hex.EncodeToString(sum[:])
	rec := &evidenceRec{size: len(content)}
	u.evidence[hash] = rec
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("fact", "registration")
	fw, _ := mw.CreateFormFile("file", fmt.Sprintf("minh-chung-%s-%d.pdf", u.code, w.seq.Add(1)))
	fw.Write(content)
	mw.Close()
	res, resp := w.send(ctx, w.tok.entry, "POST", apiPlan+"/units/"+u.code+"/evidence", mw.FormDataContentType(), buf.Bytes())
	switch res {
	case acked:
		var got struct {
			ID     int64
			SHA256 string
		}
		if err := json.Unmarshal(resp, &got); err != nil || got.ID == 0 || got.SHA256 != hash {
			w.fail("evidence upload answered %s, want sha256 %s", resp, hash)
		}
		rec.id, rec.acked = got.ID, true
	case refused:
		delete(u.evidence, hash)
	}
	return w.outcome(res, "evidence", u, hash)
}

// dossier takes the recognition dossier one step further: save (documents
// and verdicts) → submit → review → decide → reopen → save → …
func (w *workload) dossier(ctx context.Context, u *unitState) error {
	cur := u.steps[u.stepAcked]
	next := dossierStep{state: cur.state, doc: cur.doc, decision: cur.decision}
	token := w.tok.decider
	path := apiPlan + "/units/" + u.code + "/dossiers/recognition"
	method, body := "POST", []byte(nil)
	switch {
	case cur.state == "draft" && (cur.doc == "" || cur.action == "reopen"):
		u.round++
		next.action, next.doc = "save", fmt.Sprintf("HS-%s-%d", u.code, u.round)
		b, err := w.saveBody(ctx, u, next.doc)
		if err != nil {
			return err
		}
		method, body, token = "PATCH", b, w.tok.entry
	case cur.state == "draft":
		next.action, next.state, token = "submit", "submitted", w.tok.entry
		path += "/submit"
	case cur.state == "submitted":
		next.action, next.state, token = "review", "reviewed", w.tok.reviewer
		path += "/review"
	case cur.state == "reviewed":
		next.action, next.state, next.decision = "decide", "decided", fmt.Sprintf("QĐ-%s-%d", u.code, u.round)
		path += "/decide"
		body, _ = json.Marshal(map[string]string{"decision_number": next.decision, "decision_date": "2023-11-15"})
	case cur.state == "decided":
		next.action, next.state = "reopen", "draft"
		path += "/reopen"
		body = []byte(`{"reason":"Bổ sung hồ sơ (kiểm thử độ tin cậy)"}`)
	default:
		w.fail("dossier %s in unexpected state %q", u.code, cur.state)
		return nil
	}
	// Only one step can be in flight: steps beyond the acknowledged one are
	// the attempt.
	u.steps = append(u.steps[:u.stepAcked+1], next)
	ct := ""
	if body != nil {
		ct = "application/json"
	}
	res, _ := w.send(ctx, token, method, path, ct, body)
	switch res {
	case acked:
		u.stepAcked++
	case refused:
		u.steps = u.steps[:u.stepAcked+1]
	}
	return w.outcome(res, "dossier "+next.action, u, next)
}

type dossierView struct {
	State    string `json:"state"`
	Criteria []struct {
		ID        string `json:"id"`
		Suggested string `json:"suggested"`
		Verdict   string `json:"verdict"`
	} `json:"criteria"`
	Documents []struct {
		Code     string `json:"code"`
		Required bool   `json:"required"`
		Number   string `json:"number"`
	} `json:"documents"`
	Decision *struct {
		Number string `json:"number"`
	} `json:"decision"`
}

func (d *dossierView) requiresDocuments() bool {
	for _, doc := range d.Documents {
		if doc.Required {
			return true
		}
	}
	return false
}

// firstDoc is the number of the dossier's first required document.
func (d *dossierView) firstDoc() string {
	for _, doc := range d.Documents {
		if doc.Required {
			return doc.Number
		}
	}
	return ""
}

// saveBody reads the dossier and answers every criterion (the software's
// suggestion where it has a definite one, else met) and every required
// document, numbered doc.
func (w *workload) saveBody(ctx context.Context, u *unitState, doc string) ([]byte, error) {
	var d dossierView
	if err := w.c.getJSON(ctx, w.tok.entry, apiPlan+"/units/"+u.code+"/dossiers/recognition", &d); err != nil {
		if errors.Is(err, errNoAnswer) {
			return nil, err
		}
		w.fail("dossier %s: %v", u.code, err)
		return nil, errNoAnswer
	}
	type verdict struct {
		ID      string `json:"id"`
		Verdict string `json:"verdict"`
	}
	type document struct {
		Code   string `json:"code"`
		Number string `json:"number"`
		Date   string `json:"date"`
	}
	var crit []verdict
	for _, c := range d.Criteria {
		v := c.Suggested
		if v != "met" && v != "not_met" {
			v = "met"
		}
		crit = append(crit, verdict{c.ID, v})
	}
	var docs []document
	for _, x := range d.Documents {
		if x.Required {
			docs = append(docs, document{x.Code, doc, "2023-11-05"})
		}
	}
	return json.Marshal(map[string]any{"criteria": crit, "documents": docs})
}

// reopenApproved opens again, as the district reviewer, the registrations
// and propaganda figures a version without approval recorded: the upgrade
// takes them as approved figures of record, and an approved fact is locked
// until the approving level reopens it. It returns the facts reopened.
func (w *workload) reopenApproved(ctx context.Context) (int, error) {
	n := 0
	for _, u := range w.units() {
		for _, fact := range []struct {
			kind string
			had  bool
		}{{"registration", u.regAcked}, {"propaganda", u.propAcked > 0}} {
			if !fact.had {
				continue
			}
			body := fmt.Appendf(nil, `{"fact":%q,"reason":"Mở lại sau nâng cấp để tiếp tục cập nhật"}`, fact.kind)
			switch res, _ := w.send(ctx, w.tok.reviewer, "POST", apiPlan+"/units/"+u.code+"/approval/reopen", "application/json", body); res {
			case acked:
				n++
			case unanswered:
				return n, fmt.Errorf("reopen %s of %s: no answer", fact.kind, u.code)
			}
		}
	}
	return n, nil
}
