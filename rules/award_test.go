package rules_test

import (
	"strings"
	"testing"

	"antq"
	"antq/rules"
)

const kyNiemChuong = "ky_niem_chuong_bao_ve_an_ninh_to_quoc"

func failing(t *testing.T, c *rules.AwardCatalogue, form, on string, cand rules.AwardCandidate) []string {
	t.Helper()
	fails, err := c.Check(form, antq.MustDate(on), cand)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fails {
		if f.Reason == "" || f.Citation.Ref == "" {
			t.Errorf("rule %s without reason or source", f.Rule)
		}
		out = append(out, f.Rule)
	}
	return out
}

// The Kỷ niệm chương: once in a lifetime; years of service by gender and
// by the law in force (TT 11/2021 until 27/04/2025, TT 20/2025 from
// 28/04/2025); refused while prosecuted, postponed under review.
func TestKyNiemChuongEligibility(t *testing.T) {
	c, err := rules.Awards()
	if err != nil {
		t.Fatal(err)
	}
	man := func(role antq.PersonRole, years int) rules.AwardCandidate {
		return rules.AwardCandidate{Recipient: "individual", Gender: antq.GenderMale, Role: role, ServiceYears: years}
	}
	woman := func(role antq.PersonRole, years int) rules.AwardCandidate {
		c := man(role, years)
		c.Gender = antq.GenderFemale
		return c
	}
	cases := []struct {
		name string
		on   string
		cand rules.AwardCandidate
		want string // the failing rules, comma-separated
	}{
		{"a man with 15 years as bảo vệ dân phố, 2023", "2023-08-19", man("bao_ve_dan_pho", 15), ""},
		{"a man with 14 years, 2023", "2023-08-19", man("bao_ve_dan_pho", 14), "service.years"},
		{"a woman with 10 years, 2023", "2023-08-19", woman("cong_an_xa_ban_chuyen_trach", 10), ""},
		{"a woman with 9 years, 2023", "2023-08-19", woman("cong_an_xa_ban_chuyen_trach", 9), "service.years"},
		{"a Tổ bảo vệ member under TT 11/2021", "2025-04-27", man("to_bao_ve_antt", 20), "service.role"},
		{"a Tổ bảo vệ member under TT 20/2025", "2025-04-28", man("to_bao_ve_antt", 15), ""},
		{"a woman of the Tổ bảo vệ, 9 years, 2025", "2025-08-19", woman("to_bao_ve_antt", 9), "service.years"},
		{"a leader with 5 years under TT 11/2021", "2023-08-19", man("lanh_dao", 5), ""},
		{"a leader with 5 years under TT 20/2025", "2025-08-19", man("lanh_dao", 5), "service.years"},
		{"a leader with 10 years under TT 20/2025", "2025-08-19", woman("lanh_dao", 10), ""},
		{"a pupil", "2023-08-19", man("hoc_sinh", 30), "service.role"},
		{"a collective", "2023-08-19", rules.AwardCandidate{Recipient: "collective"}, "recipient"},
	}
	for _, tc := range cases {
		if got := strings.Join(failing(t, c, kyNiemChuong, tc.on, tc.cand), ","); got != tc.want {
			t.Errorf("%s: failing %q, want %q", tc.name, got, tc.want)
		}
	}
	// Once in a lifetime, whatever the law.
	again := man("bao_ve_dan_pho", 20)
	again.Received = []string{kyNiemChuong}
	for _, on := range []string{"2023-08-19", "2025-08-19"} {
		if got := failing(t, c, kyNiemChuong, on, again); len(got) != 1 || got[0] != "once_per_life" {
			t.Errorf("%s: a second Kỷ niệm chương: %v", on, got)
		}
	}
	// Blocked states by law version.
	blocked := man("bao_ve_dan_pho", 20)
	blocked.Standings = []string{"prosecuted", "disciplinary_review"}
	fails, err := c.Check(kyNiemChuong, antq.MustDate("2023-08-19"), blocked)
	if err != nil || len(fails) != 2 || fails[0].Rule != "refused.prosecuted" || fails[0].Postponed || fails[1].Rule != "postponed.disciplinary_review" || !fails[1].Postponed {
		t.Errorf("blocked: %+v %v", fails, err)
	}
	blocked.Standings = []string{"dismissed"}
	if got := failing(t, c, kyNiemChuong, "2023-08-19", blocked); len(got) != 0 {
		t.Errorf("dismissal is a TT 20/2025 exclusion, not TT 11/2021's: %v", got)
	}
	if got := failing(t, c, kyNiemChuong, "2025-08-19", blocked); len(got) != 1 || got[0] != "refused.dismissed" {
		t.Errorf("dismissed under TT 20/2025: %v", got)
	}
}

// Forms are dated by their legal basis: plan year 2023 under the 2003 law
// and NĐ 91/2017, 2024 under the 2022 law and NĐ 98/2023; the district
// chairman's Giấy khen ends with the districts; unverified values are
// marked.
func TestAwardCatalogueDatedByLaw(t *testing.T) {
	c, err := rules.Awards()
	if err != nil {
		t.Fatal(err)
	}
	_, v, err := c.Form("giay_khen_chu_tich_xa", antq.MustDate("2023-12-20"))
	if err != nil || !strings.Contains(v.Basis.Ref, "91/2017") {
		t.Fatalf("2023: %+v %v", v, err)
	}
	_, v, err = c.Form("giay_khen_chu_tich_xa", antq.MustDate("2024-12-20"))
	if err != nil || !strings.Contains(v.Basis.Ref, "98/2023") {
		t.Fatalf("2024: %+v %v", v, err)
	}
	if _, _, err := c.Form("giay_khen_chu_tich_huyen", antq.MustDate("2025-07-01")); antq.ErrorCode(err) != antq.EINVALID {
		t.Fatalf("district chairman after 30/06/2025: %v", err)
	}
	f, _, err := c.Form("co_thi_dua_ubnd_tinh", antq.MustDate("2023-12-20"))
	if err != nil || f.Citation.Verified {
		t.Fatalf("the province's Cờ thi đua conditions are unverified in REFERENCE §4.2: %+v %v", f, err)
	}
	if _, _, err := c.Form("khong_co", antq.MustDate("2023-12-20")); antq.ErrorCode(err) != antq.ENOTFOUND {
		t.Fatalf("unknown form: %v", err)
	}
	// The loader refuses overlapping versions and unknown fields.
	if _, err := rules.LoadAwardCatalogue("x.json", []byte(`{"forms":[{"code":"a","name":"A","recipients":["individual"],"authority":"B","citation":{"ref":"r","verified":true},
"versions":[{"basis":{"ref":"r","verified":true},"from":"2020-01-01"},{"basis":{"ref":"r","verified":true},"from":"2021-01-01"}]}]}`)); err == nil {
		t.Error("overlapping versions accepted")
	}
	if _, err := rules.LoadAwardCatalogue("x.json", []byte(`{"forms":[],"extra":1}`)); err == nil {
		t.Error("an unknown field accepted")
	}
}

// The dossier's documents and the public disclosure are per-version data:
// the Bằng khen of the provincial chairman requires both (unverified), the
// commune chairman's Giấy khen neither; a minimum number of days, where
// the data gives one, is checked; unknown kinds and standings are refused.
func TestAwardDocumentsAndDisclosure(t *testing.T) {
	c, err := rules.Awards()
	if err != nil {
		t.Fatal(err)
	}
	day := antq.MustDate("2023-12-31")
	_, v, err := c.Form("bang_khen_chu_tich_tinh", day)
	if err != nil || v.Disclosure == nil || v.Disclosure.Citation.Verified || len(v.Documents) != 3 {
		t.Fatalf("Bằng khen: %+v %v", v, err)
	}
	missing := v.MissingDocuments([]antq.DocumentKind{antq.DocumentProposal, antq.DocumentOther})
	if len(missing) != 2 || missing[0].Kind != "achievements" || missing[1].Kind != "minutes" {
		t.Errorf("missing %+v", missing)
	}
	if field, _ := v.CheckDisclosure("Bằng khen", antq.Date{}, antq.Date{}); field != "disclosed_from" {
		t.Errorf("no period: %q", field)
	}
	if field, reason := v.CheckDisclosure("Bằng khen", antq.MustDate("2024-01-01"), antq.MustDate("2024-01-01")); field != "" {
		t.Errorf("a one-day period without a minimum: %q %q", field, reason)
	}
	_, g, err := c.Form("giay_khen_chu_tich_xa", day)
	if err != nil || g.Disclosure != nil || len(g.Documents) != 0 {
		t.Fatalf("Giấy khen: %+v %v", g, err)
	}
	if field, _ := g.CheckDisclosure("Giấy khen", antq.Date{}, antq.Date{}); field != "" {
		t.Errorf("a form without disclosure asks for one: %q", field)
	}
	form := func(extra string) []byte {
		return []byte(`{"forms":[{"code":"a","name":"A","recipients":["individual"],"authority":"B","citation":{"ref":"r","verified":true},
"versions":[{"basis":{"ref":"r","verified":true},"from":"2020-01-01"` + extra + `}]}]}`)
	}
	cat, err := rules.LoadAwardCatalogue("x.json", form(`,"disclosure":{"min_days":7,"citation":{"ref":"r","verified":false}}`))
	if err != nil {
		t.Fatal(err)
	}
	_, m, _ := cat.Form("a", day)
	if field, reason := m.CheckDisclosure("A", antq.MustDate("2024-01-01"), antq.MustDate("2024-01-06")); field != "disclosed_to" || !strings.Contains(reason, "6 ngày") || !strings.Contains(reason, "ít nhất 7 ngày") {
		t.Errorf("six days of seven: %q %q", field, reason)
	}
	if field, _ := m.CheckDisclosure("A", antq.MustDate("2024-01-01"), antq.MustDate("2024-01-07")); field != "" {
		t.Errorf("seven days of seven: %q", field)
	}
	for _, bad := range []string{`,"documents":[{"kind":"other","citation":{"ref":"r","verified":true}}]`, `,"documents":[{"kind":"bia","citation":{"ref":"r","verified":true}}]`,
		`,"refused":[{"standing":"ngoai_tinh","label":"x","citation":{"ref":"r","verified":true}}]`, `,"disclosure":{"min_days":-1,"citation":{"ref":"r","verified":true}}`} {
		if _, err := rules.LoadAwardCatalogue("x.json", form(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
