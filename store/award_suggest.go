package store

import (
	"context"
	"fmt"

	"antq"
	"antq/rules"
)

// AwardSuggestions lists the candidates the official figures of a plan
// put forward in the subtree of code, each with why: units recognised
// "An toàn về ANTT" and graded "Xuất sắc" by decisions; the clusters'
// votes; the people and collectives of published exemplary cases of the
// year; the people whose recorded service meets the Kỷ niệm chương's rule
// and who have not received it. A candidate already nominated for the
// year carries the nomination. code "": the caller's unit.
func (db *DB) AwardSuggestions(ctx context.Context, planID, code string) ([]antq.AwardSuggestion, error) {
	if u := antq.UserFromContext(ctx); u != nil && !u.Can(antq.PermAwardRead) {
		return nil, antq.Errorf(antq.EFORBIDDEN, "Bạn không có quyền xem đề nghị khen thưởng")
	}
	plan, _, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	if code == "" {
		code = plan.RootUnit
		if u := antq.UserFromContext(ctx); u != nil && u.UnitCode != "" {
			code = u.UnitCode
		}
	}
	awards, err := rules.Awards()
	if err != nil {
		return nil, err
	}
	formName := func(c string) string {
		for _, f := range awards.Forms {
			if f.Code == c {
				return f.Name
			}
		}
		return ""
	}
	results, err := db.Results(ctx, planID, code)
	if err != nil {
		return nil, err
	}
	inTree := map[string]string{}
	var out []antq.AwardSuggestion
	for _, r := range results {
		inTree[r.Unit.Code] = r.Unit.Name
		if r.Grade == antq.GradeExcellent && r.GradeDoc != "" && r.Recognition == antq.RecognitionMet && r.RecognitionDoc != "" {
			out = append(out, antq.AwardSuggestion{Recipient: antq.RecipientCollective, UnitCode: r.Unit.Code, UnitName: r.Unit.Name, Source: "grade",
				Why: fmt.Sprintf("Được công nhận “An toàn về an ninh, trật tự” (Quyết định %s) và xếp loại phong trào “Xuất sắc” (Quyết định %s) năm %d",
					r.RecognitionDoc, r.GradeDoc, plan.Year)})
		}
	}
	votes, err := db.ClusterNominations(ctx, plan.Year)
	if err != nil {
		return nil, err
	}
	for _, v := range votes {
		if _, ok := inTree[v.Unit.Code]; !ok {
			continue
		}
		form := clusterAwardForms[v.Award]
		out = append(out, antq.AwardSuggestion{Recipient: antq.RecipientCollective, UnitCode: v.Unit.Code, UnitName: v.Unit.Name, Source: "cluster",
			FormCode: form, FormName: formName(form),
			Why: fmt.Sprintf("%s bình xét ngày %s: %d/%d phiếu đồng ý đề nghị %s; xếp hạng %d, tổng điểm %s",
				v.ClusterName, v.MeetingOn.VN(), v.VotesFor, v.Present, formName(form), v.Rank, v.Total.VN())})
	}
	// People and cases are read in the caller's scope and kept when their
	// unit is in the plan's tree under code (the tree of the plan year, not
	// today's: a past year's units may have been reorganised since).
	cases, err := db.Exemplars(ctx, ExemplarFilter{State: antq.ExemplarPublished, Limit: 500})
	if err != nil && antq.ErrorCode(err) != antq.EFORBIDDEN {
		return nil, err
	}
	for _, e := range cases {
		if _, ok := inTree[e.UnitCode]; !ok || e.OccurredOn.Year() != plan.Year || e.Subject == antq.SubjectModel {
			continue
		}
		s := antq.AwardSuggestion{Recipient: antq.RecipientCollective, UnitCode: e.UnitCode, UnitName: e.UnitName, Source: "exemplar",
			Why: fmt.Sprintf("Gương điển hình “%s” (%s) đã công bố", e.Title, e.OccurredOn.VN())}
		if e.Subject == antq.SubjectPerson {
			s.Recipient, s.PersonID, s.PersonName = antq.RecipientIndividual, e.PersonID, e.PersonName
		}
		out = append(out, s)
	}
	const medal = "ky_niem_chuong_bao_ve_an_ninh_to_quoc"
	day := awardCheckDay(plan.Year)
	if _, v, err := awards.Form(medal, day); err == nil && v.Service != nil {
		people, _, err := db.People(ctx, PersonFilter{Limit: 500})
		if err != nil && antq.ErrorCode(err) != antq.EFORBIDDEN {
			return nil, err
		}
		received, err := queryColumn[int64](ctx, db.read, `SELECT person_id FROM award_nominations WHERE form_code = $1 AND state = 'decided' AND person_id IS NOT NULL`, medal)
		if err != nil {
			return nil, fmt.Errorf("suggestions: %w", err)
		}
		standings, err := db.standingsOn(ctx, db.read, 0, antq.DateOf(db.Now()))
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			if _, ok := inTree[p.UnitCode]; !ok || p.ServiceYears == 0 {
				continue
			}
			cand := rules.AwardCandidate{Recipient: antq.RecipientIndividual, Gender: p.Gender, Role: p.Role, ServiceYears: p.ServiceYears, Standings: standings[p.ID]}
			for _, id := range received {
				if id == p.ID {
					cand.Received = []string{medal}
				}
			}
			if fails, err := awards.Check(medal, day, cand); err != nil || len(fails) > 0 {
				continue
			}
			out = append(out, antq.AwardSuggestion{Recipient: antq.RecipientIndividual, UnitCode: p.UnitCode, UnitName: p.UnitName, PersonID: p.ID, PersonName: p.FullName,
				Source: "service", FormCode: medal, FormName: formName(medal),
				Why: fmt.Sprintf("%s, %d năm công tác (tính đến %s), chưa nhận %s", p.Role.Label(), p.ServiceYears, p.ServiceAsOf.VN(), formName(medal))})
		}
	}
	// The nominations already made for the year, by candidate.
	noms, err := db.Nominations(ctx, NominationFilter{PlanID: planID})
	if err != nil {
		return nil, err
	}
	for i := range out {
		s := &out[i]
		for _, n := range noms {
			if n.State == antq.NominationRefused || n.State == antq.NominationCancelled {
				continue
			}
			same := n.PersonID == s.PersonID && (s.PersonID != 0 || n.UnitCode == s.UnitCode)
			if same && (s.FormCode == "" || s.FormCode == n.FormCode) {
				s.NominationID = n.ID
			}
		}
	}
	if out == nil {
		out = []antq.AwardSuggestion{}
	}
	return out, nil
}
