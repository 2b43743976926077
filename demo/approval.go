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
		returned := n%45 == 0
		err = reenter(ctx, db, u.Code, "demo-truongkhu", antq.FactPropaganda, returned,
			"Số hộ được tuyên truyền chưa khớp biên bản kèm theo; đề nghị kiểm tra, gửi lại",
			func() error { return db.DeletePropaganda(ctx, PlanID, u.Code) },
			func(head context.Context) error {
				total := p.Total
				_, err := db.PutPropaganda(head, PlanID, u.Code, antq.PropagandaInput{Reached: &p.Reached, Total: &total, AsOf: p.AsOf, Document: p.Document})
				return err
			})
		if err != nil {
			return res, err
		}
		if returned {
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
		returned := n%9 == 0
		err = reenter(ctx, db, u.Code, "demo-canbobaove", antq.FactRegistration, returned,
			"Bản đăng ký chưa có chữ ký của thủ trưởng đơn vị; đề nghị bổ sung, gửi lại",
			func() error { return db.DeleteRegistration(ctx, PlanID, u.Code) },
			func(officer context.Context) error {
				_, err := db.PutRegistration(officer, PlanID, u.Code, antq.Registration{RegisteredOn: reg.RegisteredOn, Document: reg.Document})
				return err
			})
		if err != nil {
			return res, err
		}
		if returned {
			res.Returned++
			res.RegistrationsReturned++
		} else {
			res.Submitted++
			res.RegistrationsSubmitted++
		}
	}
	return res, nil
}

// reenter has the fact of kind of unit code entered again by a data-entry
// account of the unit (username: an account the demo does not store, a
// name in the audit trail) and submitted; when returned, the level above
// returns it with reason. remove deletes the command line's fact, put
// enters it again acting as the account.
func reenter(ctx context.Context, db *store.DB, code, username string, kind antq.FactKind, returned bool, reason string,
	remove func() error, put func(as context.Context) error) error {
	unit, _, err := db.PlanUnit(ctx, PlanID, code)
	if err != nil {
		return err
	}
	as := antq.NewContextWithActor(ctx, antq.Actor{User: &antq.User{ID: -1, Username: username, Role: antq.RoleDataEntry,
		UnitID: unit.ID, UnitCode: unit.Code}, RemoteAddr: "demo"})
	if err := remove(); err != nil {
		return fmt.Errorf("demo approval of %s: %w", code, err)
	}
	if err := put(as); err != nil {
		return fmt.Errorf("demo approval of %s: %w", code, err)
	}
	if _, err := db.StepFact(as, PlanID, code, kind, 0, antq.ApprovalSubmit, ""); err != nil {
		return fmt.Errorf("demo approval of %s: %w", code, err)
	}
	if returned {
		if _, err := db.StepFact(ctx, PlanID, code, kind, 0, antq.ApprovalReturn, reason); err != nil {
			return fmt.Errorf("demo approval of %s: %w", code, err)
		}
	}
	return nil
}
