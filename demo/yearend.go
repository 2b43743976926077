package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"antq"
	"antq/rules"
	"antq/store"
	"antq/yearend"
)

// YearEndResult counts the demo's dossiers by state.
type YearEndResult map[yearend.State]int

// LoadYearEnd puts the year-end of YearEndDistrict in progress, through the
// same workflow the pages use: most residential areas decided, some reviewed
// or submitted and waiting, some still drafts (and so late, the deadline
// being past); the communes, whose recognition needs their areas decided
// first, have no dossier yet. Deterministic; it does nothing when the plan
// already has dossiers.
//
// ctx must act as the command line (antq.SystemContext): separation of
// duties lets only the system actor take every step of a dossier alone, and
// the demo invents no accounts to spread the steps over. What it leaves
// waiting is for real accounts: the province's admin may review the
// submitted dossiers and decide the reviewed ones (it submitted none).
func LoadYearEnd(ctx context.Context, db *store.DB) (YearEndResult, bool, error) {
	return loadYearEnd(ctx, db, PlanID, 2023, rand.New(rand.NewPCG(2023, 11)), func(parent map[string]string, code string) bool {
		return parent[parent[code]] == YearEndDistrict
	})
}

// loadYearEnd runs LoadYearEnd's dossiers for the plan of year on the
// residential areas that inYearEnd picks (given the plan tree's parents).
func loadYearEnd(ctx context.Context, db *store.DB, planID string, year int, rng *rand.Rand, inYearEnd func(parent map[string]string, code string) bool) (YearEndResult, bool, error) {
	units, err := db.PlanTreeUnits(ctx, planID)
	if err != nil {
		return nil, false, err
	}
	items, _, err := db.Inbox(ctx, planID, yearend.InboxFilter{States: []yearend.State{yearend.Draft, yearend.Submitted, yearend.Returned, yearend.Reviewed, yearend.Decided}, Limit: 1})
	if err != nil || len(items) > 0 {
		return nil, false, err
	}
	parent := map[string]string{}
	for _, u := range units {
		parent[u.Code] = u.ParentCode
	}
	res := YearEndResult{}
	decision := 0
	numberDate := map[string]antq.Date{}
	for _, u := range units {
		if u.Kind != antq.KindResidentialArea || !inYearEnd(parent, u.Code) {
			continue
		}
		_, facts, err := db.UnitFacts(ctx, planID, u.Code)
		if err != nil {
			return res, false, err
		}
		if facts.Registration == nil {
			continue
		}
		d, err := db.Dossier(ctx, planID, u.Code, yearend.DossierRecognition)
		if err != nil {
			return res, false, err
		}
		in := yearend.DossierInput{}
		for _, doc := range d.Documents {
			if doc.Doc.Required {
				in.Documents = append(in.Documents, yearend.DocumentInput{Code: doc.Doc.Code, Number: fmt.Sprintf("%02d/%s", 1+rng.IntN(40), docSymbol(doc.Doc.Code)), Date: antq.NewDate(year, 11, 2+rng.IntN(5))})
			}
		}
		for _, c := range d.Criteria {
			if c.Criterion.EffectiveKind() == rules.CriterionOutcome && c.Suggestion.Verdict == yearend.Unknown {
				// No incident recorded is no suggestion: the reviewer
				// confirms the outcome (no draw, so the demo stays as it was).
				in.Criteria = append(in.Criteria, yearend.CriterionInput{ID: c.Criterion.ID, Verdict: yearend.Met, Note: "Theo báo cáo tình hình an ninh, trật tự của Công an xã"})
				continue
			}
			if c.Suggestion.Verdict == yearend.Unknown {
				v := yearend.Met
				if rng.IntN(10) == 0 {
					v = yearend.NotMet
				}
				in.Criteria = append(in.Criteria, yearend.CriterionInput{ID: c.Criterion.ID, Verdict: v, Note: "Theo biên bản họp khu dân cư"})
			}
		}
		// How far this dossier got.
		x := rng.Float64()
		var steps []yearend.Action
		switch {
		case x < 0.55:
			steps = []yearend.Action{yearend.Submit, yearend.Review, yearend.Decide}
		case x < 0.72:
			steps = []yearend.Action{yearend.Submit, yearend.Review}
		case x < 0.88:
			steps = []yearend.Action{yearend.Submit}
		default:
			in.Documents = in.Documents[:len(in.Documents)-1] // a document still missing
		}
		if _, err := db.UpdateDossier(ctx, planID, u.Code, yearend.DossierRecognition, in); err != nil {
			return res, false, fmt.Errorf("demo dossier %s: %w", u.Code, err)
		}
		state := yearend.Draft
		for _, a := range steps {
			tin := yearend.TransitionInput{}
			if a == yearend.Decide {
				decision++
				number, day := fmt.Sprintf("%d/QĐ-UBND", 200+decision/6), antq.NewDate(year, 11, 14+rng.IntN(8))
				// One number of an issuer has one date: the date drawn first
				// for a number stays with it (the draw is kept, so the rest
				// of the demo is as it was).
				if first, ok := numberDate[number]; ok {
					day = first
				} else {
					numberDate[number] = day
				}
				tin = yearend.TransitionInput{DecisionNumber: number, DecisionDate: day}
			}
			d, err := db.Transition(ctx, planID, u.Code, yearend.DossierRecognition, a, tin)
			if err != nil {
				return res, false, fmt.Errorf("demo dossier %s %s: %w", u.Code, a, err)
			}
			state = d.State
		}
		res[state]++
	}
	return res, true, nil
}

func docSymbol(code string) string {
	switch code {
	case "to_trinh":
		return "TTr-KDC"
	case "bao_cao_ket_qua":
		return "BC-KDC"
	case "bien_ban_hop":
		return "BB-KDC"
	case "ban_dang_ky":
		return "ĐK-KDC"
	}
	return "KDC"
}
