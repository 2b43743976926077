package report_test

import (
	"strings"
	"testing"

	"antq"
	"antq/indicator"
	"antq/report"
	"antq/rules"
)

func plan(t *testing.T) *rules.Plan {
	t.Helper()
	c, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Plan("binh-phuoc-2023")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The 2023 plan carries its six contents, which the report follows.
func TestPlanHasSixContents(t *testing.T) {
	p := plan(t)
	if len(p.Contents) != 6 {
		t.Fatalf("%d contents", len(p.Contents))
	}
	keys := report.SectionKeys(p)
	if keys[0] != report.SectionIntro || keys[1] != "content-1" || keys[6] != "content-6" || keys[len(keys)-1] != report.SectionDirections {
		t.Fatalf("sections = %v", keys)
	}
}

// A draft is refused by field: an unknown section, a multi-line number, a
// signing date before the figures' date.
func TestDraftCheck(t *testing.T) {
	p := plan(t)
	d := report.Draft{Number: "1\n2", SignedOn: antq.MustDate("2023-06-01"), Sections: map[string]string{"content-9": "x", "content-2": "được"}}
	fields := antq.ErrorFields(d.Check(p, p.Window.To))
	for _, f := range []string{"number", "signed_on", "sections.content-9"} {
		if fields[f] == "" {
			t.Errorf("no reason for %s: %v", f, fields)
		}
	}
	if _, bad := fields["sections.content-2"]; bad {
		t.Errorf("a known section refused: %v", fields)
	}
	if err := (&report.Draft{SignedOn: p.Window.To}).Check(p, p.Window.To); err != nil {
		t.Errorf("a good draft: %v", err)
	}
}

// Build places each target under the content that names it, states met
// and not met in words, and fills the frame by default: the People's
// Committee's issuer lines, the place from the unit's name, blanks for the
// date, the default recipients.
func TestBuild(t *testing.T) {
	p := plan(t)
	yes, no := true, false
	u := &antq.Unit{Code: "70", Name: "Tỉnh Bình Phước", Type: "Tỉnh", Kind: antq.KindProvince}
	d := report.Build(report.Input{Kind: report.YearEnd, Plan: p, Unit: u, AsOf: p.Window.To, Figures: []indicator.Figure{
		{ID: rules.IndicatorRegistration, Title: "Đăng ký", Num: 9, Den: 10, Met: &no},
		{ID: rules.IndicatorModels, Title: "Mô hình", Num: 5, Den: 5, Met: &yes},
	}, Failing: map[rules.Indicator]report.Failing{rules.IndicatorRegistration: {Total: 1, Units: []report.FailingUnit{{Name: "Xã A"}}}}})
	if strings.Join(d.IssuerLines, "|") != "ỦY BAN NHÂN DÂN|TỈNH BÌNH PHƯỚC" || d.Number != "Số:       /BC-UBND" || !strings.HasPrefix(d.PlaceDate, "Bình Phước, ngày ") {
		t.Fatalf("frame: %q %q %q", d.IssuerLines, d.Number, d.PlaceDate)
	}
	where := map[rules.Indicator]string{}
	for _, s := range d.Sections {
		for _, f := range s.Figures {
			where[f.ID] = s.Heading + " → " + f.Value + " " + f.Result
		}
	}
	if !strings.HasPrefix(where[rules.IndicatorRegistration], "4. ") || !strings.HasSuffix(where[rules.IndicatorRegistration], "90,0\u00a0% Chưa đạt") {
		t.Errorf("registration: %q", where[rules.IndicatorRegistration])
	}
	if !strings.HasPrefix(where[rules.IndicatorModels], "2. ") || !strings.HasSuffix(where[rules.IndicatorModels], "100,0\u00a0% Đạt") {
		t.Errorf("models: %q", where[rules.IndicatorModels])
	}
	if d.SignerFor != "TM. ỦY BAN NHÂN DÂN" || d.SignerRole != "CHỦ TỊCH" || d.Recipients[len(d.Recipients)-1] != "- Lưu: VT." {
		t.Errorf("signature and recipients: %q %q %q", d.SignerFor, d.SignerRole, d.Recipients)
	}
}
