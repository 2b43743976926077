package yearend_test

import (
	"testing"

	"antq"
	"antq/rules"
	"antq/yearend"
)

// "No incident recorded" is not a suggestion that an outcome criterion is
// met, and only an assessed-effective model counts for a model criterion.
func TestSuggestOutcomeAndAssessedModels(t *testing.T) {
	rs := rules.RecognitionSet(loadSets(t))
	for _, kind := range []antq.UnitKind{antq.KindResidentialArea, antq.KindCommune, antq.KindAgency} {
		cl, ok := rs.Checklist(kind)
		if !ok {
			t.Fatalf("no checklist for %s", kind)
		}
		assessed := &antq.ModelAssessment{On: antq.MustDate("2023-10-01"), By: "Công an xã", Basis: "Biên bản 2/BB"}
		var statuses []antq.ModelStatus
		for _, c := range cl.Criteria {
			if c.EffectiveKind() == rules.CriterionModel {
				statuses = c.ModelStatuses
			}
		}
		var unassessed, counted []*antq.Model
		for _, st := range statuses {
			for range 3 {
				unassessed = append(unassessed, &antq.Model{Status: st, Effective: true})
				counted = append(counted, &antq.Model{Status: st, Effective: true, Assessment: assessed})
			}
		}
		verdicts := func(models []*antq.Model) map[rules.CriterionKind]yearend.Verdict {
			out := map[rules.CriterionKind]yearend.Verdict{}
			for i, s := range yearend.Suggest(rs, cl, yearend.Inputs{Year: 2023, Kind: kind, Models: models}) {
				out[cl.Criteria[i].EffectiveKind()] = s.Verdict
			}
			return out
		}
		noIncidents := verdicts(unassessed)
		if v, ok := noIncidents[rules.CriterionOutcome]; ok && v == yearend.Met {
			t.Errorf("%s: no incident recorded suggested the outcome criterion met", kind)
		}
		if v, ok := noIncidents[rules.CriterionModel]; ok && v != yearend.NotMet {
			t.Errorf("%s: models not yet assessed counted (%v)", kind, v)
		}
		if v, ok := verdicts(counted)[rules.CriterionModel]; ok && v != yearend.Met {
			t.Errorf("%s: assessed-effective models not counted (%v)", kind, v)
		}
	}
}

// A recognition dossier follows TT 124's own timetable (unverified: the
// text gives none), never QĐ 510's grading deadlines.
func TestRecognitionDeadlineIsTT124s(t *testing.T) {
	sets := loadSets(t)
	rec := yearend.Deadline(sets, yearend.DossierRecognition, antq.KindResidentialArea, 2023, antq.MustDate("2023-11-25"), false)
	if rec == nil || rec.Due != antq.MustDate("2023-12-31") || rec.Late || rec.Verified {
		t.Fatalf("recognition deadline = %+v", rec)
	}
	grading := yearend.Deadline(sets, yearend.DossierGrading, antq.KindResidentialArea, 2023, antq.MustDate("2023-11-25"), false)
	if grading == nil || grading.Due != antq.MustDate("2023-11-19") || !grading.Late {
		t.Fatalf("grading deadline = %+v", grading)
	}
}
