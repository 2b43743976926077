package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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
	var out []yearend.ResultRow
	err = db.eachResult(ctx, t, "u.kind", func(r *yearend.ResultRow) error {
		out = append(out, *r)
		return nil
	})
	// The authorities are looked up once the rows are read: a query inside
	// the read's would take a second connection of the pool for each read.
	a := db.newAuthorities(t)
	for i := range out {
		a.fill(ctx, &out[i])
	}
	return out, err
}

// EachResult reads what Results lists one row at a time, grouped by unit
// kind in the order of antq.UnitKinds (the sheets of the results workbook),
// so a nation's 597,278 results never sit in memory together: start is
// called once the plan and the unit are found within the caller's scope,
// before the first row, then each with every row (the same row, reused).
func (db *DB) EachResult(ctx context.Context, planID, code string, start func() error, each func(*yearend.ResultRow) error) error {
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return err
	}
	if err := start(); err != nil {
		return err
	}
	// The authorities the rows will need are looked up first, so the read
	// of the rows asks nothing more of the database while it is open.
	a := db.newAuthorities(t)
	if err := a.prefetch(ctx); err != nil {
		return err
	}
	return db.eachResult(ctx, t, kindRankSQL("u.kind"), func(r *yearend.ResultRow) error {
		a.fromCache(r)
		return each(r)
	})
}

// kindRankSQL is the place of the kind in column col in antq.UnitKinds.
func kindRankSQL(col string) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for i, k := range antq.UnitKinds {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", k, i)
	}
	fmt.Fprintf(&b, " ELSE %d END", len(antq.UnitKinds))
	return b.String()
}

// eachResult reads the results of t's subtree ordered by kindOrder, then in
// Vietnamese order, and gives each row to each.
func (db *DB) eachResult(ctx context.Context, t *factTarget, kindOrder string, each func(*yearend.ResultRow) error) error {
	// The walk (or, for the plan's root, the plan's rows) drives the join.
	var r yearend.ResultRow
	return queryEach(ctx, db.read, "results", func(rows *sql.Rows) error {
		r = yearend.ResultRow{}
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
		return each(&r)
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
ORDER BY `+kindOrder+`, u.sort_key, u.code`, t.unit.ID, t.plan.ID, t.factsPlanID)
}

// authorities names the deciding authority of each result whose decision
// carries no issuer (a result loaded in bulk or entered without one): the
// authority the rule set gives for the unit (kind, managing level, the level
// above), as a dossier would name it. The few distinct answers (one per
// parent and kind) are looked up once each.
type authorities struct {
	db    *DB
	t     *factTarget
	rs    *rules.RuleSet
	cache map[authorityKey]string
}

type authorityKey struct {
	kind     antq.UnitKind
	managing antq.ManagingLevel
	parent   int64
}

func (db *DB) newAuthorities(t *factTarget) *authorities {
	return &authorities{db: db, t: t, rs: t.recognitionRules(), cache: map[authorityKey]string{}}
}

// needs reports whether r's authority is to be named, and its key.
func (a *authorities) needs(r *yearend.ResultRow) (authorityKey, bool) {
	if a.rs == nil || r.Authority != "" || (r.Recognition == "" && r.Grade == "") {
		return authorityKey{}, false
	}
	return authorityKey{r.Unit.Kind, r.Unit.ManagingLevel, r.Unit.ParentID}, true
}

// fill names r's authority, looking it up if it is not known yet.
func (a *authorities) fill(ctx context.Context, r *yearend.ResultRow) {
	if k, ok := a.needs(r); ok {
		r.Authority = a.lookup(ctx, k, r.Unit)
	}
}

// fromCache names r's authority from those prefetch looked up (a unit
// moved since is left without one).
func (a *authorities) fromCache(r *yearend.ResultRow) {
	if k, ok := a.needs(r); ok {
		r.Authority = a.cache[k]
	}
}

func (a *authorities) lookup(ctx context.Context, k authorityKey, u *antq.Unit) string {
	label, ok := a.cache[k]
	if !ok {
		ut := *a.t
		ut.unit = u
		ut.window = rules.NewFactRules(a.t.plan, a.t.ruleSets, u, antq.DateOf(a.db.Now())).Window
		if au, err := a.db.authorityFor(ctx, a.db.read, &ut, a.rs); err == nil {
			label = issuerName(ctx, a.db.read, &ut, au)
		}
		a.cache[k] = label
	}
	return label
}

// prefetch looks up the authority of every key of the subtree's results
// that will need one: the keys are read first (one query, closed), then
// each is looked up.
func (a *authorities) prefetch(ctx context.Context) error {
	if a.rs == nil {
		return nil
	}
	t := a.t
	var units []antq.Unit
	err := queryEach(ctx, a.db.read, "results", func(rows *sql.Rows) error {
		var u antq.Unit
		var kind, managing string
		if err := rows.Scan(&kind, &managing, &u.ParentID); err != nil {
			return err
		}
		u.Kind, u.ManagingLevel = antq.UnitKind(kind), antq.ManagingLevel(managing)
		units = append(units, u)
		return nil
	}, withTargetSubtree(t, "$2")+`
SELECT DISTINCT u.kind, u.managing_level, COALESCE(us.parent_id, 0)
FROM sub CROSS JOIN units u
LEFT JOIN unit_status us ON us.plan_id = $2 AND us.unit_id = u.id
LEFT JOIN recognitions c ON c.plan_id = $3 AND c.unit_id = u.id
LEFT JOIN grades g ON g.plan_id = $3 AND g.unit_id = u.id
LEFT JOIN dossiers d ON d.plan_id = $3 AND d.unit_id = u.id AND d.kind = 'recognition'
WHERE u.id = sub.id AND (c.result IS NOT NULL OR g.grade IS NOT NULL)
  AND COALESCE(c.doc_issuer, d.authority_label, '') = ''`, t.unit.ID, t.plan.ID, t.factsPlanID)
	if err != nil {
		return err
	}
	for i := range units {
		u := &units[i]
		a.lookup(ctx, authorityKey{u.Kind, u.ManagingLevel, u.ParentID}, u)
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
