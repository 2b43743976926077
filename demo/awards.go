package demo

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"antq"
	"antq/store"
)

// AwardResult counts what LoadAwards wrote, by state.
type AwardResult struct {
	Decided, Submitted, Drafts int
}

// LoadAwards records the 2023 year-end's commendation under way in
// YearEndDistrict: the Kỷ niệm chương “Bảo vệ an ninh Tổ quốc” of Nguyễn
// Văn Hùng (18 years a bảo vệ dân phố) decided by the Ministry, the
// district chairman's Giấy khen for Trần Thị Mai submitted, and, drafted
// from the suggestions of the official figures, the Kỷ niệm chương of Lê
// Văn Phúc and one candidate the official figures suggest (a unit graded
// “Xuất sắc”, else a published exemplary case). Numbers and dates are illustrative. It needs the people of
// LoadExemplars and does nothing when nominations exist already.
func LoadAwards(ctx context.Context, db *store.DB) (AwardResult, bool, error) {
	var res AwardResult
	if have, err := db.Nominations(ctx, store.NominationFilter{PlanID: PlanID, Limit: 1}); err != nil || len(have) > 0 {
		return res, false, err
	}
	people, _, err := db.People(ctx, store.PersonFilter{Limit: 500}) // the 2023 district is gone from today's tree
	if err != nil {
		return res, false, err
	}
	byName := map[string]*antq.Person{}
	for _, p := range people {
		byName[p.FullName] = p
	}
	council := func(in antq.NominationInput) antq.NominationInput {
		in.PlanID, in.NominatedBy = PlanID, YearEndDistrict
		in.ProposalDate, in.CouncilOn = antq.MustDate("2024-01-10"), antq.MustDate("2024-01-08")
		in.VotesFor, in.VotesAgainst, in.VotesTotal = 9, 0, 9
		return in
	}
	const medal = "ky_niem_chuong_bao_ve_an_ninh_to_quoc"
	type nomination struct {
		person string
		in     antq.NominationInput
		steps  []antq.NominationAction
	}
	list := []nomination{
		{"Nguyễn Văn Hùng", council(antq.NominationInput{FormCode: medal, ProposalNumber: "12/TTr-UBND",
			Reasons:      "18 năm làm tổ trưởng tổ bảo vệ dân phố; năm 2023 cùng người dân bắt quả tang hai đối tượng trộm xe máy",
			Achievements: "Tham gia bảo vệ dân phố liên tục từ năm 2005; năm 2023 tham gia 140 ca tuần tra, phát hiện và cùng người dân bắt giữ hai đối tượng trộm cắp tài sản (gương người tốt, việc tốt đã công bố)."}),
			[]antq.NominationAction{antq.NominationSubmit, antq.NominationDecide}},
		{"Trần Thị Mai", council(antq.NominationInput{FormCode: "giay_khen_chu_tich_huyen", ProposalNumber: "13/TTr-UBND",
			Reasons:      "Hòa giải thành vụ tranh chấp đất đai kéo dài ba năm trong khu phố",
			Achievements: "Trưởng khu phố từ năm 2012; năm 2023 chủ trì ba buổi hòa giải, hai gia đình ký biên bản hòa giải thành ngày 20/04/2023."}),
			[]antq.NominationAction{antq.NominationSubmit}},
		{"Lê Văn Phúc", council(antq.NominationInput{FormCode: medal, ProposalNumber: "14/TTr-UBND",
			Reasons: "16 năm làm công an viên, nhiều lần cung cấp tin giúp bắt giữ đối tượng truy nã"}), nil},
	}
	for _, n := range list {
		p := byName[n.person]
		if p == nil {
			return res, false, fmt.Errorf("demo awards: no person %q (load the exemplars first)", n.person)
		}
		n.in.PersonID = p.ID
		got, err := db.CreateNomination(ctx, n.in)
		if err != nil {
			return res, false, fmt.Errorf("demo award of %s: %w", n.person, err)
		}
		// The dossier's files: the signed tờ trình and the council's
		// minutes, as scans (a one-page PDF stands for each).
		if db.FilesDir() != "" {
			for _, d := range []struct {
				kind antq.DocumentKind
				name string
			}{{antq.DocumentProposal, "to-trinh-" + n.in.ProposalNumber + ".pdf"}, {antq.DocumentMinutes, "bien-ban-hop-hoi-dong.pdf"}} {
				if _, err := db.AddNominationDocument(ctx, got.ID, d.kind, strings.ReplaceAll(d.name, "/", "-"), bytes.NewReader(demoScan)); err != nil {
					return res, false, fmt.Errorf("demo award of %s: %w", n.person, err)
				}
			}
		}
		for _, s := range n.steps {
			step := antq.NominationStep{DecisionNumber: "215/QĐ-BCA-V05", DecisionDate: antq.MustDate("2024-01-25"),
				DecisionAuthority: "Bộ trưởng Bộ Công an"}
			if _, err := db.StepNomination(ctx, got.ID, s, step); err != nil {
				return res, false, fmt.Errorf("demo award of %s: %s: %w", n.person, s, err)
			}
		}
		switch len(n.steps) {
		case 2:
			res.Decided++
		case 1:
			res.Submitted++
		default:
			res.Drafts++
		}
	}
	// A standing that ended long ago (a review that found no fault): it
	// shows on the person's page and weighs on no award.
	if p := byName["Nguyễn Văn Hùng"]; p != nil {
		if _, err := db.AddStanding(ctx, p.ID, antq.StandingInput{Standing: antq.StandingDisciplinaryReview, From: antq.MustDate("2016-03-01"),
			To: antq.MustDate("2016-05-31"), Source: "Thông báo số 7/TB-UBND ngày 01/03/2016", Note: "Kết luận không vi phạm, không xử lý kỷ luật"}); err != nil {
			return res, false, fmt.Errorf("demo standing: %w", err)
		}
	}
	// One more drafted from the suggestions of the official figures: a unit
	// recognised and graded “Xuất sắc” by decisions if there is one, else
	// the first candidate not yet nominated (a published exemplary case).
	suggestions, err := db.AwardSuggestions(ctx, PlanID, YearEndDistrict)
	if err != nil {
		return res, false, err
	}
	var pick *antq.AwardSuggestion
	for i, s := range suggestions {
		if s.NominationID == 0 && (pick == nil || s.Source == "grade" && pick.Source != "grade") {
			pick = &suggestions[i]
		}
	}
	if pick != nil {
		form := pick.FormCode
		switch {
		case form != "":
		case pick.Recipient == antq.RecipientCollective:
			form = "giay_khen_chu_tich_huyen"
		default:
			form = "giay_khen_chu_tich_xa"
		}
		in := council(antq.NominationInput{FormCode: form, UnitCode: pick.UnitCode, PersonID: pick.PersonID, ProposalNumber: "15/TTr-UBND", Reasons: pick.Why})
		in.VotesTotal, in.VotesFor = 0, 0 // the council has not met yet
		if _, err := db.CreateNomination(ctx, in); err != nil {
			return res, false, fmt.Errorf("demo award of %s: %w", pick.Candidate(), err)
		}
		res.Drafts++
	}
	return res, true, nil
}

// demoScan is a minimal PDF standing for a scanned document.
var demoScan = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
