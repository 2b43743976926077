package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"antq"
	"antq/auth"
	"antq/demo"
	"antq/store"
	"antq/unitfile"
	"antq/web"
)

// fastHasher keeps argon2id but with test-sized costs.
var fastHasher = auth.NewHasher(auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}, 4)

const adminPassword = "mật khẩu thử nghiệm 2023"

// clerk is the data entry of the test commune (99001): it prepares and
// submits the commune's dossiers, which the province's admin then reviews
// and decides (whoever submits neither reviews nor decides).
const clerkName, clerkPassword = "xa-thu-nghiem", "mật khẩu nhập liệu 2023"

// headName is the cluster_head of Đồng Xoài, head of the demo's cụm số 1.
const headName, headPassword = "cum-truong-dong-xoai", "mật khẩu cụm trưởng 2023"

// extraCommune adds, to the demo province, a commune with one residential
// area of 500 households and no facts: the browser test moves its household
// coverage across the 80 % line.
const extraCommune = `level,code,name,type,parent_code,households
commune,99001,Xã Thử Nghiệm,Xã,689,500
residential_area,99001-KDC01,Ấp Thử Nghiệm,Ấp,99001,500
`

// demoTemplate builds the demo province once per test binary in a SQLite
// file; each test serves a copy of it (loading the demo's facts takes
// seconds, copying the file milliseconds).
var demoTemplate = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "antq-demo-template")
	if err != nil {
		return "", err
	}
	templateDir = dir
	path := filepath.Join(dir, "antq.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{NoEvidence: true})
	if err != nil {
		return "", err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return "", err
	}
	sys := antq.SystemContext(ctx)
	if _, err := demo.LoadUnits(sys, db); err != nil {
		return "", err
	}
	if _, _, err := demo.LoadFacts(sys, db); err != nil {
		return "", err
	}
	if _, err := demo.LoadBoundaries(sys, db); err != nil {
		return "", err
	}
	// Đồng Xoài's year-end in progress: dossiers in the inbox, decisions,
	// certificates (the extra commune below gets none).
	if _, _, err := demo.LoadYearEnd(sys, db); err != nil {
		return "", err
	}
	if _, _, err := demo.LoadExemplars(sys, db); err != nil {
		return "", err
	}
	if _, _, err := demo.LoadAwards(sys, db); err != nil {
		return "", err
	}
	recs, err := unitfile.Read("extra.csv", strings.NewReader(extraCommune), unitfile.Options{ValidFrom: demo.BinhPhuocFrom, ValidTo: demo.BinhPhuocTo})
	if err != nil {
		return "", err
	}
	if _, err := db.ImportUnits(sys, "extra.csv", recs); err != nil {
		return "", err
	}
	hash, err := fastHasher.Hash(sys, adminPassword)
	if err != nil {
		return "", err
	}
	if _, err := db.CreateUser(sys, store.NewUser{Username: "admin", Role: antq.RoleAdmin, UnitCode: demo.RootCode, PasswordHash: hash}); err != nil {
		return "", err
	}
	if hash, err = fastHasher.Hash(sys, clerkPassword); err != nil {
		return "", err
	}
	if _, err := db.CreateUser(sys, store.NewUser{Username: clerkName, Role: antq.RoleDataEntry, UnitCode: "99001", PasswordHash: hash}); err != nil {
		return "", err
	}
	// The clusters of 2023, scoring under way, and the head of cụm số 1
	// (Đồng Xoài).
	if _, err := demo.LoadClusters(sys, db); err != nil {
		return "", err
	}
	if hash, err = fastHasher.Hash(sys, headPassword); err != nil {
		return "", err
	}
	if _, err := db.CreateUser(sys, store.NewUser{Username: headName, Role: antq.RoleClusterHead, UnitCode: "689", PasswordHash: hash}); err != nil {
		return "", err
	}
	// Fold the WAL into the main file so that one file is the database.
	if _, err := db.Rebuild(sys, demo.PlanID); err != nil {
		return "", err
	}
	return path, db.Checkpoint(ctx)
})

// templateDir is removed when the tests end (TestMain).
var templateDir string

func TestMain(m *testing.M) {
	code := m.Run()
	reportContract()
	if templateDir != "" {
		os.RemoveAll(templateDir)
	}
	os.Exit(code)
}

// demoServer serves a fresh copy of the demo province and returns its URL.
func demoServer(t *testing.T) (string, *store.DB) {
	t.Helper()
	tmpl, err := demoTemplate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "antq.db")
	body, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), path, store.Options{FilesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return serveOn(t, db), db
}

// serveOn serves db, every answer checked against the OpenAPI document,
// and returns the URL.
func serveOn(t *testing.T, db *store.DB) string {
	t.Helper()
	srv, err := web.NewServer(web.Options{DB: db, Hasher: fastHasher})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(contractCheck(t, srv))
	t.Cleanup(ts.Close)
	return ts.URL
}

// browser starts headless Chromium, or skips the test when there is none
// (unless ANTQ_TEST_REQUIRE_BROWSER is set, as in CI).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("ANTQ_TEST_CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("ANTQ_TEST_REQUIRE_BROWSER") != "" {
			t.Fatal("ANTQ_TEST_REQUIRE_BROWSER is set but no Chromium was found")
		}
		t.Skip("no Chromium: set ANTQ_TEST_CHROMIUM to run browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("lang", "vi-VN"), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// Only a guard against a hung Chromium, never a measure of speed: it
	// ends shortly before go test's own -timeout would, so the failure names
	// the step that hung instead of dumping every goroutine.
	deadline, ok := t.Deadline()
	if !ok {
		deadline = time.Now().Add(30 * time.Minute)
	}
	ctx, cancel3 := context.WithDeadline(ctx, deadline.Add(-time.Minute))
	t.Cleanup(cancel3)
	return ctx
}

// artifacts is where screenshots go: ANTQ_TEST_ARTIFACTS, else a temp dir.
func artifacts(t *testing.T) string {
	dir := os.Getenv("ANTQ_TEST_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(artifacts(t), name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func TestBrowserDashboardDrillDownAndEntry(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)

	// Log in, with a wrong password first.
	do(t, ctx, "open login",
		chromedp.Navigate(base+"/plans/"+demo.PlanID+"/dashboard?unit=70"),
		chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "admin"),
		chromedp.SendKeys(`#password`, "sai mật khẩu"),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`.error`))
	if got := text(t, ctx, `.error`); !strings.Contains(got, "không đúng") {
		t.Fatalf("login error = %q", got)
	}
	do(t, ctx, "log in",
		chromedp.SendKeys(`#password`, adminPassword),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`section.cards`))
	if h1 := text(t, ctx, `h1`); h1 != "Tổng quan: Tỉnh Bình Phước" {
		t.Fatalf("dashboard h1 = %q", h1)
	}
	if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "vi" {
		t.Fatalf("lang = %q", lang)
	}
	screenshot(t, ctx, "1-province-dashboard")

	// Drill down two levels by clicking bars of the chart.
	do(t, ctx, "click district",
		chromedp.Click(`svg.chart-wide a[href*="unit=689"]`),
		chromedp.WaitVisible(`nav.crumbs a`))
	if h1 := text(t, ctx, `h1`); h1 != "Tổng quan: Thành phố Đồng Xoài" {
		t.Fatalf("after first click h1 = %q", h1)
	}
	do(t, ctx, "click commune",
		chromedp.Click(`svg.chart-wide a[href*="unit=99001"]`),
		chromedp.WaitVisible(`h1`))
	if h1 := text(t, ctx, `h1`); h1 != "Tổng quan: Xã Thử Nghiệm" {
		t.Fatalf("after second click h1 = %q", h1)
	}
	card := `//article[contains(@class,"card")][.//a[contains(@href,"ind=propaganda_households")]]`
	before := text(t, ctx, card)
	if !strings.Contains(before, "0\u00a0/\u00a01") || !strings.Contains(before, "Chưa đạt") {
		t.Fatalf("commune household card before = %q", before)
	}
	screenshot(t, ctx, "2-commune-dashboard")

	// Enter the area's propaganda figure: first an impossible one.
	do(t, ctx, "open area entry",
		chromedp.Navigate(base+"/plans/"+demo.PlanID+"/units/99001-KDC01"),
		chromedp.WaitVisible(`#reached`),
		chromedp.SendKeys(`#reached`, "600"),
		chromedp.SetValue(`#as_of`, "2023-10-20"),
		chromedp.Click(`#propaganda button[type=submit]`),
		chromedp.WaitVisible(`#reached-err`))
	if msg := text(t, ctx, `#reached-err`); !strings.Contains(msg, "lớn hơn tổng số") {
		t.Fatalf("error next to reached = %q", msg)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(`#reached`)); v != "600" {
		t.Fatalf("submitted value not kept: %q", v)
	}
	screenshot(t, ctx, "3-entry-error")
	do(t, ctx, "enter a valid figure",
		chromedp.SetValue(`#reached`, "450"),
		chromedp.Click(`#propaganda button[type=submit]`),
		chromedp.WaitVisible(`.flash`))
	if got := text(t, ctx, `#propaganda`); !strings.Contains(got, "450\u00a0/\u00a0500") {
		t.Fatalf("propaganda section after save = %q", got)
	}

	// A figure entered by a user is a draft: it counts neither in the
	// official figure nor in the provisional one until it is submitted and
	// approved (TestBrowserApprovalOfFacts follows it there).
	do(t, ctx, "back to commune",
		chromedp.Navigate(base+"/plans/"+demo.PlanID+"/dashboard?unit=99001"),
		chromedp.WaitVisible(`section.cards`))
	after := text(t, ctx, card)
	if !strings.Contains(after, "0\u00a0/\u00a01") || !strings.Contains(after, "Tạm tính (cả số liệu chờ duyệt): 0\u00a0/\u00a01") {
		t.Fatalf("commune household card after a draft = %q", after)
	}

	// Phone width: nothing wider than the screen.
	do(t, ctx, "phone", chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(base+"/plans/"+demo.PlanID+"/dashboard?unit=70"), chromedp.WaitVisible(`section.cards`))
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > 360 {
		t.Fatalf("page is %d px wide on a 360 px phone (%v)", width, err)
	}
	screenshot(t, ctx, "4-phone-dashboard")
	// The phone's chart drills down too.
	do(t, ctx, "tap district", chromedp.Click(`svg.chart-narrow a[href*="unit=689"]`), chromedp.WaitVisible(`nav.crumbs a`))
	if h1 := text(t, ctx, `h1`); h1 != "Tổng quan: Thành phố Đồng Xoài" {
		t.Fatalf("after tapping the phone chart h1 = %q", h1)
	}
}

func login(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	loginAs(t, ctx, base, "admin", adminPassword)
}

func loginAs(t *testing.T, ctx context.Context, base, username, password string) {
	t.Helper()
	do(t, ctx, "log in as "+username,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, username),
		chromedp.SendKeys(`#password`, password),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`nav.account`)) // only shown once logged in
}

func logout(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "log out", chromedp.Click(`nav.account form[action="/logout"] button`), chromedp.WaitVisible(`#username`))
}

func dossierPage(base, code string) string {
	return base + "/plans/" + demo.PlanID + "/units/" + code + "/dossiers/recognition"
}

// prepareDossier is the unit's side of a recognition dossier, through the
// pages: manual criteria met, documents numbered, submitted.
func prepareDossier(t *testing.T, ctx context.Context, base, code string, manual []string) {
	t.Helper()
	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(dossierPage(base, code)), chromedp.WaitVisible(`.dossier-form`)}
	for _, id := range manual {
		steps = append(steps, chromedp.SetValue(`[name="verdict.`+id+`"]`, "met"))
	}
	for _, doc := range []string{"to_trinh", "bao_cao_ket_qua", "bien_ban_hop", "ban_dang_ky", "bang_tu_danh_gia"} {
		steps = append(steps, chromedp.SendKeys(`[name="doc.`+doc+`"]`, "01/"+doc))
	}
	steps = append(steps,
		chromedp.Click(`.dossier-form button[type=submit]`), chromedp.WaitVisible(`.flash`),
		chromedp.Click(`form.action-submit button`), chromedp.WaitNotPresent(`form.action-submit`))
	do(t, ctx, "prepare the dossier of "+code, steps...)
	if s := text(t, ctx, `.state`); !strings.Contains(s, "Đã gửi") {
		t.Fatalf("%s state = %q", code, s)
	}
}

// decideDossier is the reviewing and deciding level's side: reviewed,
// decided.
func decideDossier(t *testing.T, ctx context.Context, base, code, decision string) {
	t.Helper()
	do(t, ctx, "decide the dossier of "+code,
		chromedp.Navigate(dossierPage(base, code)), chromedp.WaitVisible(`form.action-review`),
		chromedp.Click(`form.action-review button`), chromedp.WaitVisible(`form.action-decide`),
		chromedp.SendKeys(`#decision_number`, decision),
		chromedp.SetValue(`#decision_date`, "2023-11-16"),
		chromedp.Click(`form.action-decide button`), chromedp.WaitVisible(`form.action-reopen`))
	if s := text(t, ctx, `.state`); !strings.Contains(s, "Đã quyết định") {
		t.Fatalf("%s state = %q", code, s)
	}
}

func TestBrowserYearEndCycle(t *testing.T) {
	base, db := demoServer(t)
	ctx := browser(t)
	login(t, ctx, base)
	plan := base + "/plans/" + demo.PlanID

	// The area and its commune register in the first quarter; the commune
	// builds a model.
	for _, code := range []string{"99001-KDC01", "99001"} {
		do(t, ctx, "register "+code,
			chromedp.Navigate(plan+"/units/"+code),
			chromedp.WaitVisible(`#registered_on`),
			chromedp.SetValue(`#registered_on`, "2023-02-15"),
			chromedp.Click(`#registration button[type=submit]`),
			chromedp.WaitVisible(`.flash`))
		// The registrations entered here are drafts; the year-end counts
		// registrations of record, so they are loaded as the command line
		// would (approval itself: TestBrowserApprovalOfFacts).
		if _, err := db.PutRegistration(antq.SystemContext(context.Background()), demo.PlanID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-02-15")}); err != nil {
			t.Fatal(err)
		}
	}
	// An effective model is assessed: when, by whom, on what basis.
	do(t, ctx, "model",
		chromedp.SendKeys(`#m-name`, "Camera an ninh"),
		chromedp.Click(`#model .fact-form [name="effective"]`),
		chromedp.SetValue(`#m-aon`, "2023-10-20"),
		chromedp.SendKeys(`#m-aby`, "Công an xã"),
		chromedp.SendKeys(`#m-abasis`, "Biên bản kiểm tra 2/BB"),
		chromedp.Click(`#model .fact-form button[type=submit]`),
		chromedp.WaitVisible(`ul.models li`))

	// Before: nothing recognised in the commune.
	card := `//article[contains(@class,"card")][.//a[contains(@href,"ind=recognition")]]`
	do(t, ctx, "commune dashboard", chromedp.Navigate(plan+"/dashboard?unit=99001"), chromedp.WaitVisible(`section.cards`))
	if before := text(t, ctx, card); !strings.Contains(before, "0\u00a0/\u00a02") {
		t.Fatalf("recognition before = %q", before)
	}

	// The commune cannot go first: it waits for its area.
	do(t, ctx, "commune dossier first", chromedp.Navigate(plan+"/units/99001/dossiers/recognition"), chromedp.WaitVisible(`.note`))
	if note := text(t, ctx, `.note`); !strings.Contains(note, "đơn vị trực thuộc") {
		t.Fatalf("commune dossier note = %q", note)
	}
	screenshot(t, ctx, "5-commune-dossier-waiting")

	// The commune's data entry prepares and submits the area's dossier; the
	// province's admin reviews and decides it; then the same for the
	// commune. Whoever submits neither reviews nor decides.
	logout(t, ctx)
	loginAs(t, ctx, base, clerkName, clerkPassword)
	// No incident recorded is not a suggestion: the outcome criterion
	// (kdc.4) is the reviewer's verdict too.
	prepareDossier(t, ctx, base, "99001-KDC01", []string{"kdc.2", "kdc.4", "kdc.5"})
	logout(t, ctx)
	login(t, ctx, base)
	decideDossier(t, ctx, base, "99001-KDC01", "15/QĐ-UBND")
	screenshot(t, ctx, "6-area-dossier-decided")
	logout(t, ctx)
	loginAs(t, ctx, base, clerkName, clerkPassword)
	prepareDossier(t, ctx, base, "99001", []string{"xa.2", "xa.3"})
	logout(t, ctx)
	login(t, ctx, base)
	decideDossier(t, ctx, base, "99001", "230/QĐ-UBND")

	// After: both recognised, and the certificate prints.
	do(t, ctx, "commune dashboard after", chromedp.Navigate(plan+"/dashboard?unit=99001"), chromedp.WaitVisible(`section.cards`))
	if after := text(t, ctx, card); !strings.Contains(after, "2\u00a0/\u00a02") || !strings.Contains(after, "Đạt chỉ tiêu") {
		t.Fatalf("recognition after = %q", after)
	}
	do(t, ctx, "certificate", chromedp.Navigate(plan+"/units/99001-KDC01/certificate"), chromedp.WaitVisible(`.certificate`))
	if c := text(t, ctx, `.certificate`); !strings.Contains(c, "UBND XÃ THỬ NGHIỆM") || !strings.Contains(c, "GIẤY CÔNG NHẬN") || !strings.Contains(c, "Ấp Thử Nghiệm") || !strings.Contains(c, "15/QĐ-UBND") {
		t.Fatalf("certificate = %q", c)
	}
	screenshot(t, ctx, "7-certificate")
	do(t, ctx, "decision list", chromedp.Navigate(plan+"/decisions?unit=99001"), chromedp.WaitVisible(`.official`))
	if l := text(t, ctx, `main`); !strings.Contains(l, "DANH SÁCH") || !strings.Contains(l, "Ấp Thử Nghiệm") {
		t.Fatalf("decision list = %q", l)
	}
}

// TestBrowserTour opens every page of the tour (tour_test.go) and keeps a
// screenshot of each; a page that fails to render fails the test.
func TestBrowserTour(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	loggedIn := false
	for _, p := range tourPages {
		if !p.anonymous && !loggedIn {
			login(t, ctx, base)
			loggedIn = true
		}
		start := time.Now()
		do(t, ctx, p.name, chromedp.Navigate(base+p.path), chromedp.WaitReady(`main`))
		body := text(t, ctx, `main`)
		t.Logf("%s: %v", p.name, time.Since(start))
		failed := strings.HasPrefix(strings.TrimSpace(body), "Lỗi") && p.name != "not-found"
		if failed || !strings.Contains(body, p.want) {
			t.Errorf("%s (%s): page does not show %q:\n%.300s", p.name, p.path, p.want, body)
		}
		screenshot(t, ctx, "tour-"+p.name)
	}
	// The API as the browser's own scripts would call it (session cookie,
	// same origin), on the demo's data: the contract checks each answer.
	plan := "/plans/" + demo.PlanID
	for _, p := range []struct{ path, want string }{
		{"/api/v1/account", `"username":"admin"`},
		{"/api/v1" + plan, `"rule_sets"`},
		{"/api/v1" + plan + "/indicators?unit=689", `"children"`},
		{"/api/v1" + plan + "/inbox?limit=50", `"items"`},
		{"/api/v1" + plan + "/units/25195/dossiers/grading", `"scores"`},
		{"/api/v1" + plan + "/units/25195", `"registration"`},
	} {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+strconv.Quote(p.path)+`).then(async r => r.status + " " + await r.text())`, chromedp.EvalAwaitPromise))
		if err != nil || !strings.HasPrefix(got, "200 ") || !strings.Contains(got, p.want) {
			t.Errorf("fetch %s = %.300s, %v", p.path, got, err)
		}
	}
}
