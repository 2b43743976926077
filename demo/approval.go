package demo

import (
	"context"
	"fmt"

	"antq"
	"antq/store"
)

// ApprovalResult counts the demo's facts left waiting or returned (all
// kinds), and among them the registrations.
type ApprovalResult struct {
	Submitted, Returned                           int
	RegistrationsSubmitted, RegistrationsReturned int
}

// LoadApprovals leaves the demo province mid-year in its approval of facts:
// the facts LoadFacts wrote are approved (the command line's facts of
// record), but one residential area in fifteen outside YearEndDistrict has
// its propaganda figure entered again by the area's head (an account the
// demo does not store: a name in the audit trail), submitted and waiting
// for its commune; one in three of those the commune returned with a
// reason; and one organisation in three (with a written registration and no year-end result yet) has its
// registration entered again by its security officer and submitted (one in
// three of those returned). Deterministic; run it once, right after
// LoadFacts loads.
func LoadApprovals(ctx context.Context, db *store.DB) (ApprovalResult, error) {
	var res ApprovalResult
	units, err := db.PlanTreeUnits(ctx, PlanID)
	if err != nil {
		return res, err
	}
	parent := map[string]string{}
	for _, u := range units {
		parent[u.Code] = u.ParentCode
	}
	n := 0
	for _, u := range units {
		if u.Kind != antq.KindResidentialArea || parent[parent[u.Code]] == YearEndDistrict {
			continue
		}
		_, facts, err := db.UnitFacts(ctx, PlanID, u.Code)
		if err != nil {
			return res, err
		}
		p := facts.Propaganda
		if p == nil || p.Document == nil {
			continue
		}
		if n++; n%15 != 0 {
			continue
		}
		unit, _, err := db.PlanUnit(ctx, PlanID, u.Code)
		if err != nil {
			return res, err
		}
		head := antq.NewContextWithActor(ctx, antq.Actor{User: &antq.User{ID: -1, Username: "demo-truongkhu", Role: antq.RoleDataEntry,
			UnitID: unit.ID, UnitCode: unit.Code}, RemoteAddr: "demo"})
		if err := db.DeletePropaganda(ctx, PlanID, u.Code); err != nil {
			return res, fmt.Errorf("demo approval of %s: %w", u.Code, err)
		}
		total := p.Total
		if _, err := db.PutPropaganda(head, PlanID, u.Code, antq.PropagandaInput{Reached: &p.Reached, Total: &total, AsOf: p.AsOf, Document: p.Document}); err != nil {
			return res, fmt.Errorf("demo approval of %s: %w", u.Code, err)
		}
		if _, err := db.StepFact(head, PlanID, u.Code, antq.FactPropaganda, 0, antq.ApprovalSubmit, ""); err != nil {
			return res, fmt.Errorf("demo approval of %s: %w", u.Code, err)
		}
		if n%45 == 0 {
			if _, err := db.StepFact(ctx, PlanID, u.Code, antq.FactPropaganda, 0, antq.ApprovalReturn,
				"Số hộ được tuyên truyền chưa khớp biên bản kèm theo; đề nghị kiểm tra, gửi lại"); err != nil {
				return res, fmt.Errorf("demo approval of %s: %w", u.Code, err)
			}
			res.Returned++
		} else {
			res.Submitted++
		}
	}
	// Organisations: one in three with a written registration and no result yet has it
	// entered again by its security officer and submitted to the level
	// above; one in three of those was returned.
	n = 0
	for _, u := range units {
		if !u.Kind.Organisation() || parent[parent[u.Code]] == YearEndDistrict {
			continue
		}
		_, facts, err := db.UnitFacts(ctx, PlanID, u.Code)
		if err != nil {
			return res, err
		}
		reg := facts.Registration
		if reg == nil || reg.Document == nil || facts.Recognition != nil || facts.Grade != nil {
			continue
		}
		if n++; n%3 != 0 {
			continue
		}
		unit, _, err := db.PlanUnit(ctx, PlanID, u.Code)
		if err != nil {
			return res, err
		}
		officer := antq.NewContextWithActor(ctx, antq.Actor{User: &antq.User{ID: -1, Username: "demo-canbobaove", Role: antq.RoleDataEntry,
			UnitID: unit.ID, UnitCode: unit.Code}, RemoteAddr: "demo"})
		if err := db.DeleteRegistration(ctx, PlanID, u.Code); err != nil {
			return res, fmt.Errorf("demo approval of %s: %w", u.Code, err)
		}
		if _, err := db.PutRegistration(officer, PlanID, u.Code, antq.Registration{RegisteredOn: reg.RegisteredOn, Document: reg.Document}); err != nil {
			return res, fmt.Errorf("demo approval of %s: %w", u.Code, err)
		}
		if _, err := db.StepFact(officer, PlanID, u.Code, antq.FactRegistration, 0, antq.ApprovalSubmit, ""); err != nil {
			return res, fmt.Errorf("demo approval of %s: %w", u.Code, err)
		}
		if n%9 == 0 {
			if _, err := db.StepFact(ctx, PlanID, u.Code, antq.FactRegistration, 0, antq.ApprovalReturn,
				"Bản đăng ký chưa có chữ ký của thủ trưởng đơn vị; đề nghị bổ sung, gửi lại"); err != nil {
				return res, fmt.Errorf("demo approval of %s: %w", u.Code, err)
			}
			res.Returned++
			res.RegistrationsReturned++
		} else {
			res.Submitted++
			res.RegistrationsSubmitted++
		}
	}
	return res, nil
}
