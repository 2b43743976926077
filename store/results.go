package store

import (
	"context"
	"database/sql"
	"fmt"

	"antq"
	"antq/rules"
	"antq/yearend"
)

// Results lists the results of every unit of the plan's tree under code
// (itself included), in Vietnamese order, within the caller's scope.
func (db *DB) Results(ctx context.Context, planID, code string) ([]yearend.ResultRow, error) {
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, err
	}
	// The walk (or, for the plan's root, the plan's rows) drives the join.
	var out []yearend.ResultRow
	err = queryEach(ctx, db.read, "results", func(rows *sql.Rows) error {
		var r yearend.ResultRow
		u := &antq.Unit{}
		var kind string
		var reg antq.Date
		var result, recDoc, issuer, grade, gradeDoc, state sql.NullString
		var score sql.NullInt64
		var managing string
		if err := rows.Scan(&u.Code, &u.Name, &kind, &u.Type, &r.Parent, &reg, &result, &recDoc, &r.RecognitionOn, &issuer,
			&grade, &score, &gradeDoc, &state, &u.ID, &u.ParentID, &managing); err != nil {
			return err
		}
		u.Kind, u.ManagingLevel = antq.UnitKind(kind), antq.ManagingLevel(managing)
		r.Unit = u
		if !reg.IsZero() {
			r.Registered = &reg
		}
		r.Recognition, r.RecognitionDoc, r.Authority = antq.RecognitionResult(result.String), recDoc.String, issuer.String
		r.Grade, r.Score, r.GradeDoc, r.DossierState = antq.Grade(grade.String), tenthsPtr(score), gradeDoc.String, state.String
		out = append(out, r)
		return nil
	}, withTargetSubtree(t, "$2")+`
SELECT u.code, u.name, u.kind, u.type_label, COALESCE(p.name, ''),
  r.registered_on, c.result, c.doc_number, c.decided_on, COALESCE(c.doc_issuer, d.authority_label), g.grade, g.score_tenths, g.doc_number, d.state,
  u.id, COALESCE(us.parent_id, 0), u.managing_level
FROM sub CROSS JOIN units u
LEFT JOIN unit_status us ON us.plan_id = $2 AND us.unit_id = u.id
LEFT JOIN units p ON p.id = us.parent_id
LEFT JOIN registrations r ON r.plan_id = $3 AND r.unit_id = u.id
LEFT JOIN recognitions c ON c.plan_id = $3 AND c.unit_id = u.id
LEFT JOIN grades g ON g.plan_id = $3 AND g.unit_id = u.id
LEFT JOIN dossiers d ON d.plan_id = $3 AND d.unit_id = u.id AND d.kind = 'recognition'
WHERE u.id = sub.id
ORDER BY u.kind, u.sort_key, u.code`, t.unit.ID, t.plan.ID, t.factsPlanID)
	if err != nil {
		return nil, err
	}
	return out, db.fillAuthorities(ctx, t, out)
}

// fillAuthorities names the deciding authority of each result whose
// decision carries no issuer (a result loaded in bulk or entered without
// one): the authority the rule set gives for the unit (kind, managing level,
// the level above), as a dossier would name it. The few distinct answers
// (one per parent and kind) are looked up once each.
func (db *DB) fillAuthorities(ctx context.Context, t *factTarget, out []yearend.ResultRow) error {
	rs := t.recognitionRules()
	if rs == nil {
		return nil
	}
	type key struct {
		kind     antq.UnitKind
		managing antq.ManagingLevel
		parent   int64
	}
	cache := map[key]string{}
	for i := range out {
		r := &out[i]
		if r.Authority != "" || (r.Recognition == "" && r.Grade == "") {
			continue
		}
		k := key{r.Unit.Kind, r.Unit.ManagingLevel, r.Unit.ParentID}
		label, ok := cache[k]
		if !ok {
			ut := *t
			ut.unit = r.Unit
			ut.window = rules.NewFactRules(t.plan, t.ruleSets, r.Unit, antq.DateOf(db.Now())).Window
			if a, err := db.authorityFor(ctx, db.read, &ut, rs); err == nil {
				label = issuerName(ctx, db.read, &ut, a)
			}
			cache[k] = label
		}
		r.Authority = label
	}
	return nil
}

// Decisions lists the decided dossiers of kind under code, for the decision
// list (danh sách kèm theo quyết định), ordered so that each decision —
// issuer, number and date (yearend.DecisionRow.Key) — is one run of rows.
func (db *DB) Decisions(ctx context.Context, planID, code string, kind yearend.DossierKind) ([]yearend.DecisionRow, error) {
	if err := kind.Validate(); err != nil {
		return nil, err
	}
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, withPlanSubtree("$1", "$2")+`
SELECT u.code, u.name, u.kind, COALESCE(p.name, ''), COALESCE(d.result, ''), d.decision_number, d.decision_date,
  COALESCE(d.authority_label, ''), COALESCE(d.authority_unit_id, 0), COALESCE(iu.name, ''), d.decided_late, d.amended,
  d.signer_title, d.signer_name, COALESCE(d.certificate_no, 0)
FROM sub JOIN dossiers d ON d.unit_id = sub.id AND d.plan_id = $3 AND d.kind = $4 AND d.state = 'decided'
JOIN units u ON u.id = d.unit_id
LEFT JOIN units iu ON iu.id = d.authority_unit_id
LEFT JOIN unit_status us ON us.plan_id = $2 AND us.unit_id = u.id
LEFT JOIN units p ON p.id = us.parent_id
ORDER BY COALESCE(d.authority_unit_id, 0), d.authority_label, d.decision_number, d.decision_date, u.sort_key, u.code`, t.unit.ID, t.plan.ID, t.factsPlanID, string(kind))
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", err)
	}
	defer rows.Close()
	var out []yearend.DecisionRow
	for rows.Next() {
		r := yearend.DecisionRow{Kind: kind, Unit: &antq.Unit{}}
		var ukind string
		if err := rows.Scan(&r.Unit.Code, &r.Unit.Name, &ukind, &r.Parent, &r.Result, &r.DecisionNumber, &r.DecisionDate,
			&r.AuthorityLabel, &r.Issuer.UnitID, &r.IssuerUnit, &r.Late, &r.Amended, &r.SignerTitle, &r.SignerName, &r.CertificateNo); err != nil {
			return nil, fmt.Errorf("decisions: %w", err)
		}
		r.Unit.Kind = antq.UnitKind(ukind)
		r.Issuer.Label = r.AuthorityLabel
		out = append(out, r)
	}
	return out, rows.Err()
}
