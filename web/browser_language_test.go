package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// englishWords are words of the code that must never reach a reader: states,
// actions, entities and roles as the code names them (issue 16 item 11).
var englishWords = []string{
	"system", "submit", "submitted", "draft", "approved", "approve", "returned", "reviewed", "decided", "reopen",
	"pending", "create", "update", "delete", "registration", "propaganda", "recognition", "grading", "dossier",
	"incident", "evidence", "residential", "commune", "district", "province", "enterprise", "agency", "school",
	"viewer", "reviewer", "data_entry", "plan_manager", "cluster_head", "true", "false", "null", "undefined",
	"cli", "error", "invalid", "forbidden", "not found", "username", "token", "session", "unknown", "met", "not_met",
}

// rawCodes are the shapes internal codes take: a criterion id (kdc.1,
// r510.kdc.2), a snake_case name (dossier_recognition), a record id after a
// slash or a hash (/881, #12), a plan id (binh-phuoc-2023), a bare parent
// code ("thuộc 25195"), a JSON fragment.
var rawCodes = []*regexp.Regexp{
	regexp.MustCompile(`\b[a-z]{2,}[0-9]*\.[a-z0-9]+(\.[a-z0-9]+)*\b`),
	regexp.MustCompile(`\b[a-z]+_[a-z_]+\b`),
	regexp.MustCompile(`(^|[\s(])[/#][0-9]+\b`),
	regexp.MustCompile(`\b[a-z]+(-[a-z]+)+-[0-9]{4}\b`),
	regexp.MustCompile(`thuộc [0-9]+\b`),
	regexp.MustCompile(`"[a-z_]+":`),
}

// englishFound lists the English words and raw codes in text.
func englishFound(text string) []string {
	var out []string
	lower := strings.ToLower(text)
	for _, w := range englishWords {
		re := regexp.MustCompile(`(^|[^\pL_])` + regexp.QuoteMeta(w) + `($|[^\pL_])`)
		if loc := re.FindStringIndex(lower); loc != nil {
			out = append(out, w+" in «"+excerpt(text, loc[0])+"»")
		}
	}
	for _, re := range rawCodes {
		if loc := re.FindStringIndex(text); loc != nil {
			out = append(out, re.String()+" in «"+excerpt(text, loc[0])+"»")
		}
	}
	return out
}

func excerpt(s string, at int) string {
	from, to := max(0, at-40), min(len(s), at+60)
	for from > 0 && !isRuneStart(s[from]) {
		from--
	}
	for to < len(s) && !isRuneStart(s[to]) {
		to++
	}
	return strings.ReplaceAll(s[from:to], "\n", " ")
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// The scanner itself must catch what it is for.
func TestEnglishFoundCatches(t *testing.T) {
	for _, s := range []string{"Người thực hiện: system", "submit hồ sơ", "dossier_recognition binh-phuoc-2023/25201-KDC03",
		"Mô hình /881", "kdc.1 Đăng ký", "Phường Tân Bình thuộc 25195", "Trạng thái: draft", `{"state":"x"}`} {
		if len(englishFound(s)) == 0 {
			t.Errorf("not caught: %q", s)
		}
	}
	for _, s := range []string{"Khu phố 3, Phường Tân Bình", "Số: 201/QĐ-UBND ngày 19/11/2023", "77,0 %", "1.698 / 1.790", "Đã gửi hồ sơ"} {
		if got := englishFound(s); len(got) > 0 {
			t.Errorf("false alarm on %q: %v", s, got)
		}
	}
}

// TestBrowserTourSpeaksVietnamese reads every page of the browser tour as
// the browser shows it (the header and menu included) and fails on any
// English word or raw code (issue 16 item 11).
func TestBrowserTourSpeaksVietnamese(t *testing.T) {
	base, _ := demoServer(t)
	ctx := browser(t)
	loggedIn := false
	for _, p := range tourPages {
		if !p.anonymous && !loggedIn {
			login(t, ctx, base)
			loggedIn = true
		}
		do(t, ctx, p.name, chromedp.Navigate(base+p.path), chromedp.WaitReady(`main`))
		body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range englishFound(body) {
			t.Errorf("%s (%s): %s", p.name, p.path, f)
		}
	}
	// The trail says who did what to which unit, by name.
	do(t, ctx, "audit of dossiers", chromedp.Navigate(base+"/audit?entity=dossier_recognition"), chromedp.WaitReady(`main`))
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`Hệ thống \(dòng lệnh\)\s+(dòng lệnh\s+)?đã (gửi|thẩm định|quyết định) hồ sơ công nhận của (Khu phố|Ấp) [0-9]+, (Phường|Xã) `).MatchString(body) {
		t.Errorf("the audit trail does not say who did what to which unit:\n%s", body[max(0, len(body)-1500):])
	}
}
