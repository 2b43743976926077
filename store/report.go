package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"antq"
	"antq/indicator"
	"antq/report"
	"antq/rules"
)

// ReportFigures are a unit's figures for a report: each target's figure
// and its failing units (the first ones, with the total).
type ReportFigures struct {
	Plan    *rules.Plan
	Unit    *antq.Unit
	AsOf    antq.Date
	Figures []indicator.Figure
	Failing map[rules.Indicator]report.Failing
}

// reportFailingShown is how many failing units a report lists per target.
const reportFailingShown = 10

// resolveReport resolves the unit for a report (in the caller's scope) and
// checks the report's date: a year-end report is dated the end of the
// plan's window; an interim one any day of the window.
func (db *DB) resolveReport(ctx context.Context, planID, code string, kind report.Kind, asOf antq.Date) (*factTarget, antq.Date, error) {
	if err := kind.Validate(); err != nil {
		return nil, asOf, err
	}
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, asOf, err
	}
	w := t.plan.Window
	switch {
	case kind == report.YearEnd:
		asOf = w.To
	case asOf.IsZero():
		return nil, asOf, antq.Invalid("Báo cáo sơ kết cần ngày số liệu", map[string]string{"as_of": "bắt buộc, trong thời gian của kế hoạch"})
	case asOf.Before(w.From) || asOf.After(w.To):
		return nil, asOf, antq.Invalid("Ngày số liệu ngoài thời gian của kế hoạch", map[string]string{"as_of": "phải từ " + w.From.VN() + " đến " + w.To.VN()})
	}
	return t, asOf, nil
}

// ReportFigures returns the figures of a report. A year-end report states
// the figures the dashboard shows (the maintained official figures) and
// its failing lists. An interim report at a date recomputes them from the
// facts dated on or before that day, as approved now: registrations by
// their date, propaganda figures by their "as of" date, recognitions by
// their decision date, grades by their decision's date, models by their
// start date (effective only if assessed by that day); a grade or model
// without its date counts from the plan's last day.
func (db *DB) ReportFigures(ctx context.Context, planID, code string, kind report.Kind, asOf antq.Date) (*ReportFigures, error) {
	t, asOf, err := db.resolveReport(ctx, planID, code, kind, asOf)
	if err != nil {
		return nil, err
	}
	out := &ReportFigures{Plan: t.plan, Unit: t.unit, AsOf: asOf, Failing: map[rules.Indicator]report.Failing{}}
	if kind == report.YearEnd {
		rep, err := db.Indicators(ctx, planID, t.unit.Code)
		if err != nil {
			return nil, err
		}
		out.Figures = rep.Unit.Figures
		for _, f := range out.Figures {
			units, total, err := db.FailingUnits(ctx, planID, f.ID, t.unit.Code, 0, reportFailingShown)
			if err != nil {
				return nil, err
			}
			fl := report.Failing{Total: total}
			for _, u := range units {
				fl.Units = append(fl.Units, report.FailingUnit{Name: u.Unit.Name, Parent: u.Parent, Reason: u.Reason})
			}
			out.Failing[f.ID] = fl
		}
		return out, nil
	}
	return out, db.figuresAsOf(ctx, t, asOf, out)
}

func (db *DB) figuresAsOf(ctx context.Context, t *factTarget, asOf antq.Date, out *ReportFigures) error {
	c, err := db.Catalog(ctx)
	if err != nil {
		return err
	}
	r, err := indicatorRules(c, t.plan)
	if err != nil {
		return err
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer tx.Rollback()
	tree, err := db.loadPlanTree(ctx, tx, t.plan)
	if err != nil {
		return err
	}
	rows, err := db.loadFactRowsAsOf(ctx, tx, t.plan, asOf)
	if err != nil {
		return err
	}
	evaluateTree(r, tree, rows)
	start := slices.IndexFunc(tree, func(u treeUnit) bool { return u.id == t.unit.ID })
	if start < 0 {
		return antq.Errorf(antq.ENOTFOUND, "Đơn vị %s không thuộc cây đơn vị của kế hoạch %s", t.unit.Code, t.plan.ID)
	}
	counts := indicator.Counts{}
	failing := map[rules.Indicator][]int64{}
	stack := []int32{int32(start)}
	for len(stack) > 0 {
		u := &tree[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		stack = append(stack, u.children...)
		counts.Add(u.kind, u.status, 1)
		for _, tg := range t.plan.Targets {
			if u.status.In(tg.Indicator) && !u.status.Meets(tg.Indicator) {
				failing[tg.Indicator] = append(failing[tg.Indicator], u.id)
			}
		}
	}
	out.Figures = r.Figures(counts)
	for id, ids := range failing {
		fl := report.Failing{Total: len(ids)}
		names, err := db.unitNames(ctx, tx, ids, t.plan.Window.To)
		if err != nil {
			return err
		}
		for i := 0; i < len(names) && i < reportFailingShown; i++ {
			fl.Units = append(fl.Units, names[i])
		}
		out.Failing[id] = fl
	}
	return tx.Commit()
}

// unitNames names units (with their parent's name) in Vietnamese order.
func (db *DB) unitNames(ctx context.Context, q querier, ids []int64, on antq.Date) ([]report.FailingUnit, error) {
	type named struct {
		report.FailingUnit
		key []byte
	}
	var all []named
	for chunk := range slices.Chunk(ids, 500) {
		args := []any{on}
		marks := ""
		for i, id := range chunk {
			if i > 0 {
				marks += ", "
			}
			marks += fmt.Sprintf("$%d", i+2)
			args = append(args, id)
		}
		rows, err := q.QueryContext(ctx, `SELECT u.name, u.sort_key, COALESCE(p.name, '') FROM units u
LEFT JOIN unit_links l ON l.unit_id = u.id AND l.valid_from <= $1 AND (l.valid_to IS NULL OR l.valid_to >= $1)
LEFT JOIN units p ON p.id = l.parent_id
WHERE u.id IN (`+marks+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		for rows.Next() {
			var n named
			if err := rows.Scan(&n.Name, &n.key, &n.Parent); err != nil {
				rows.Close()
				return nil, fmt.Errorf("report: %w", err)
			}
			all = append(all, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
	}
	slices.SortFunc(all, func(a, b named) int { return slices.Compare(a.key, b.key) })
	out := make([]report.FailingUnit, len(all))
	for i, n := range all {
		out[i] = n.FailingUnit
	}
	return out, nil
}

// loadFactRowsAsOf reads the plan's facts as they stood on asOf (see
// ReportFigures), in their approval state now.
func (db *DB) loadFactRowsAsOf(ctx context.Context, q querier, plan *rules.Plan, asOf antq.Date) (*factRows, error) {
	by := func(d antq.Date) bool { return !d.IsZero() && !d.After(asOf) }
	// A grade without a decision date, a model without a start or an
	// assessment date: a result of the year, counted from the plan's last day.
	orEnd := func(d antq.Date) antq.Date {
		if d.IsZero() {
			return plan.Window.To
		}
		return d
	}
	return db.loadFacts(ctx, q, plan, "report", plan.Window.To, func(out *factRows) []factQuery {
		var id int64
		var state string
		return []factQuery{
			{`SELECT unit_id, registered_on, state FROM registrations WHERE plan_id = $1`, func(rows *sql.Rows) error {
				var on antq.Date
				if err := rows.Scan(&id, &on, &state); err != nil || !by(on) {
					return err
				}
				out.each(id, state, func(f *indicator.Facts) { f.Registered, f.RegisteredOn = true, on }, func(w *indicator.Waiting) { w.Registration = true })
				return nil
			}},
			{`SELECT unit_id, result, decided_on FROM recognitions WHERE plan_id = $1`, func(rows *sql.Rows) error {
				var result string
				var on antq.Date
				if err := rows.Scan(&id, &result, &on); err != nil || !by(on) {
					return err
				}
				out.each(id, "", func(f *indicator.Facts) { f.Recognised = result == string(antq.RecognitionMet) }, nil)
				return nil
			}},
			{`SELECT unit_id, grade, doc_date FROM grades WHERE plan_id = $1`, func(rows *sql.Rows) error {
				var grade string
				var on antq.Date
				if err := rows.Scan(&id, &grade, &on); err != nil || !by(orEnd(on)) {
					return err
				}
				out.each(id, "", func(f *indicator.Facts) { f.Grade = antq.Grade(grade) }, nil)
				return nil
			}},
			{`SELECT unit_id, reached, total, state, as_of FROM propaganda WHERE plan_id = $1`, func(rows *sql.Rows) error {
				var c indicator.Coverage
				var on antq.Date
				if err := rows.Scan(&id, &c.Reached, &c.Total, &state, &on); err != nil || !by(on) {
					return err
				}
				out.each(id, state, func(f *indicator.Facts) { f.Propaganda = &c }, func(w *indicator.Waiting) { w.Propaganda = true })
				return nil
			}},
			{`SELECT unit_id, status, ` + modelCountsEffective + `, state, started_on, assessed_on FROM models WHERE plan_id = $1`, func(rows *sql.Rows) error {
				var m indicator.ModelFact
				var status string
				var started, assessed antq.Date
				if err := rows.Scan(&id, &status, &m.Effective, &state, &started, &assessed); err != nil || !by(orEnd(started)) {
					return err
				}
				m.Status = antq.ModelStatus(status)
				m.Effective = m.Effective && by(orEnd(assessed))
				out.each(id, state, func(f *indicator.Facts) { f.Models = append(f.Models, m) }, func(w *indicator.Waiting) { w.Models = true })
				return nil
			}},
		}
	})
}

// ReportModels lists the models of the units under code (itself included)
// for the plan, started by asOf, in Vietnamese order of their units.
func (db *DB) ReportModels(ctx context.Context, planID, code string, kind report.Kind, asOf antq.Date) ([]report.Model, error) {
	t, asOf, err := db.resolveReport(ctx, planID, code, kind, asOf)
	if err != nil {
		return nil, err
	}
	var out []report.Model
	err = queryEach(ctx, db.read, "report models", func(rows *sql.Rows) error {
		var m report.Model
		var status string
		var members sql.NullInt64
		var started, assessed antq.Date
		if err := rows.Scan(&m.Unit, &m.Name, &m.Kind, &status, &members, &m.Effective, &started, &assessed); err != nil {
			return err
		}
		if kind == report.Interim && started.After(asOf) || started.IsZero() && asOf.Before(t.plan.Window.To) {
			return nil
		}
		if kind == report.Interim && (assessed.After(asOf) || assessed.IsZero() && asOf.Before(t.plan.Window.To)) {
			m.Effective = false
		}
		m.Status = antq.ModelStatus(status)
		if members.Valid {
			m.Members = &members.Int64
		}
		out = append(out, m)
		return nil
	}, withPlanSubtree("$1", "$2")+`
SELECT u.name, m.name, m.kind, m.status, m.members, `+modelCountsEffective+`, m.started_on, m.assessed_on
FROM sub JOIN models m ON m.unit_id = sub.id AND m.plan_id = $3 AND m.state = 'approved'
JOIN units u ON u.id = m.unit_id
ORDER BY u.sort_key, u.code, m.name`, t.unit.ID, t.plan.ID, t.factsPlanID)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReportDraft returns the stored narrative of a report (an empty draft if
// none was saved).
func (db *DB) ReportDraft(ctx context.Context, planID, code string, kind report.Kind, asOf antq.Date) (*report.Draft, error) {
	t, asOf, err := db.resolveReport(ctx, planID, code, kind, asOf)
	if err != nil {
		return nil, err
	}
	return db.readDraft(ctx, db.read, t, kind, asOf)
}

func (db *DB) readDraft(ctx context.Context, q querier, t *factTarget, kind report.Kind, asOf antq.Date) (*report.Draft, error) {
	d := &report.Draft{Sections: map[string]string{}}
	var sections string
	err := q.QueryRowContext(ctx, `SELECT number, place, signed_on, signer_role, signer_name, recipients, sections, updated_at, updated_by
FROM reports WHERE plan_id = $1 AND unit_id = $2 AND kind = $3 AND as_of = $4`, t.plan.ID, t.unit.ID, string(kind), asOf).
		Scan(&d.Number, &d.Place, &d.SignedOn, &d.SignerRole, &d.SignerName, &d.Recipients, &sections, &d.UpdatedAt, &d.UpdatedBy)
	if errNoRows(err) {
		return d, nil
	} else if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if err := json.Unmarshal([]byte(sections), &d.Sections); err != nil {
		return nil, fmt.Errorf("report sections: %w", err)
	}
	return d, nil
}

// SaveReportDraft stores a report's narrative and frame in one transaction
// (checked by report.Draft.Check), with the old and new texts in the audit
// trail.
func (db *DB) SaveReportDraft(ctx context.Context, planID, code string, kind report.Kind, asOf antq.Date, in report.Draft) (*report.Draft, error) {
	var out *report.Draft
	err := db.inTx(ctx, func(tx *Tx) error {
		t, asOf, err := db.resolveReport(ctx, planID, code, kind, asOf)
		if err != nil {
			return err
		}
		if err := in.Check(t.plan, asOf); err != nil {
			return err
		}
		old, err := db.readDraft(ctx, tx, t, kind, asOf)
		if err != nil {
			return err
		}
		sections := map[string]string{}
		for k, v := range in.Sections {
			if v != "" {
				sections[k] = v
			}
		}
		body, err := json.Marshal(sections)
		if err != nil {
			return err
		}
		user := actorName(ctx)
		var signed *antq.Date
		if !in.SignedOn.IsZero() {
			signed = &in.SignedOn
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reports (plan_id, unit_id, kind, as_of, number, place, signed_on, signer_role, signer_name, recipients, sections, updated_at, updated_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (plan_id, unit_id, kind, as_of) DO UPDATE SET number = excluded.number, place = excluded.place, signed_on = excluded.signed_on,
  signer_role = excluded.signer_role, signer_name = excluded.signer_name, recipients = excluded.recipients, sections = excluded.sections,
  updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			t.plan.ID, t.unit.ID, string(kind), asOf, in.Number, in.Place, signed, in.SignerRole, in.SignerName, in.Recipients, string(body), tx.now, user); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		action := "update"
		if old.UpdatedBy == "" {
			action, old = "create", nil
		}
		var oldValue any
		if old != nil {
			oldValue = old
		}
		if err := db.audit(ctx, tx, auditEntry{Action: action, Entity: "report", Key: t.plan.ID + "/" + t.unit.Code + "/" + string(kind) + "/" + asOf.String(),
			UnitID: t.unit.ID, Old: oldValue, New: in}); err != nil {
			return err
		}
		out, err = db.readDraft(ctx, tx, t, kind, asOf)
		return err
	})
	return out, err
}
