package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"antq"
	"antq/indicator"
	"antq/rules"
	"antq/yearend"
)

// BulkFacts loads many facts of one plan at once: for generators (the
// nation-scale demo) and for migrations of the figures a province kept in
// spreadsheets before ANTQ. The single calls (PutRegistration, …) cost a
// transaction, an audit record and an indicator update each, which is right
// for data entry and far too slow for half a million units.
//
// load is called once with a FactLoader and adds the facts row by row; rows
// are numbered from 1 in the order they are given, whatever their kind.
// Everything is written in one transaction with batched multi-row INSERTs,
// and it is all or nothing: each row is checked with the rules of the single
// calls (rules.FactRules) that apply without looking anything up —
//
//   - the unit is in force on the plan's tree date, under the plan's root and
//     in the caller's scope (units that ended during the year are refused:
//     load them through the single calls);
//   - dates lie in the unit kind's evaluation window and not in the future,
//     decision dates as for PutRecognition;
//   - propaganda: 0 ≤ reached ≤ total, total > 0 (Total is required: a bulk
//     load states its denominators, it does not look sizes up);
//   - codes: recognition result, grade, score 0–100, model kind and status;
//     document references as the single calls check them;
//   - eligibility under the plan's rule sets for registrations,
//     recognitions and grades; a recognition needs the unit's registration
//     (in the database or earlier in the load); results that a year-end
//     dossier governs are refused;
//   - one registration, propaganda figure, recognition and grade per unit
//     per load.
//
// Any bad row refuses the whole load: the error is EINVALID and wraps
// antq.ImportErrors, one per bad row (File is source, Row the row number,
// Column "fact.field"), and nothing is written. Single-valued facts replace
// what the unit had, as the Put calls do; models are added.
//
// Instead of one audit record per fact, the load writes one record
// summarising it (entity "facts", action "import", key the plan whose facts
// were loaded). Every plan that shares these facts and has built indicators
// is rebuilt in the same transaction, so figures are exact the moment the
// load commits; plans not built yet are built by their first read.
func (db *DB) BulkFacts(ctx context.Context, planID, source string, load func(*FactLoader) error) (_ *BulkFactsResult, err error) {
	defer func() { err = writeError(err) }() // a full disk: said so, nothing written
	start := time.Now()
	user, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	plan, cat, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	sets, err := cat.RuleSetsOf(plan)
	if err != nil {
		return nil, err
	}
	factsID := factsPlanID(cat, plan)
	// The plans that share these facts, with their rules, read before the
	// transaction takes its connection.
	var sharing []*rules.Plan
	sharingRules := map[string]*indicator.Rules{}
	for _, p := range cat.Plans() {
		if factsPlanID(cat, p) != factsID {
			continue
		}
		ps, err := cat.RuleSetsOf(p)
		if err != nil {
			return nil, err
		}
		sharing = append(sharing, p)
		sharingRules[p.ID] = indicator.NewRules(p, ps)
	}

	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// No single write may adjust these plans' counts while the facts change
	// under them (PostgreSQL; SQLite has one writer anyway). The audit lock
	// first, as every other write takes it before a plan's (a fact write
	// audits, then keeps the plans' counts): one order, no deadlock.
	if err := db.lockAudit(ctx, tx); err != nil {
		return nil, err
	}
	for _, p := range sharing {
		if err := db.lockPlan(ctx, tx, p.ID); err != nil {
			return nil, err
		}
	}
	l, err := db.newFactLoader(ctx, tx, user, plan, factsID, sets, source)
	if err != nil {
		return nil, err
	}
	if err := load(l); err != nil {
		return nil, err
	}
	if l.fatal != nil {
		return nil, l.fatal
	}
	if len(l.errs.list) > 0 {
		n := len(l.errs.list) + l.errs.more
		return nil, &antq.Error{Code: antq.EINVALID, Err: l.errs.sorted(),
			Message: fmt.Sprintf("%d dòng số liệu không hợp lệ; không ghi dòng nào (%d invalid rows, nothing written)", n, n)}
	}
	for _, w := range l.writers {
		if err := w.flush(); err != nil {
			return nil, err
		}
	}
	res := &l.res
	for _, p := range sharing {
		if ok, err := db.built(ctx, tx, p.ID); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		tree, err := db.loadPlanTree(ctx, tx, p)
		if err != nil {
			return nil, err
		}
		if err := db.computeStatuses(ctx, tx, sharingRules[p.ID], p, tree); err != nil {
			return nil, err
		}
		if err := db.writeBuild(ctx, tx, p, tree); err != nil {
			return nil, err
		}
		res.Rebuilt = append(res.Rebuilt, p.ID)
	}
	if err := linkUnlinkedModels(ctx, tx); err != nil {
		return nil, err
	}
	if err := db.audit(ctx, tx, auditEntry{Action: "import", Entity: "facts", Key: factsID, UnitID: l.rootID, New: res}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("bulk facts: commit: %w", err)
	}
	if res.Rows() >= analyzeMinRows {
		if err := db.Analyze(ctx, "registrations", "propaganda", "models", "recognitions", "grades", "unit_status", "indicator_counts"); err != nil {
			return res, fmt.Errorf("bulk facts: loaded, but %w", err)
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}

// analyzeMinRows is the size of a load after which the planner's
// statistics are refreshed.
const analyzeMinRows = 10_000

// Analyze refreshes PostgreSQL's planner statistics of the tables (all
// tables when none is named). Run it after a bulk load (ImportUnits,
// BulkFacts): until autovacuum gets to a freshly loaded table — never, when
// it is switched off — the planner assumes a small table and may walk a
// whole index to find one unit (seconds instead of milliseconds at nation
// scale). A no-op on SQLite, whose plans come from its indexes alone.
func (db *DB) Analyze(ctx context.Context, tables ...string) error {
	if !db.dialect.analyze {
		return nil
	}
	q := "ANALYZE"
	if len(tables) > 0 {
		q += " " + strings.Join(tables, ", ")
	}
	if _, err := db.write.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// BulkFactsResult counts what BulkFacts wrote; it is also the content of the
// load's audit record.
type BulkFactsResult struct {
	Plan          string        `json:"plan"` // the plan whose facts were loaded
	Source        string        `json:"source"`
	Registrations int           `json:"registrations"`
	Propaganda    int           `json:"propaganda"`
	Models        int           `json:"models"`
	Recognitions  int           `json:"recognitions"`
	Grades        int           `json:"grades"`
	Rebuilt       []string      `json:"rebuilt"` // plans whose indicators were rebuilt
	Duration      time.Duration `json:"-"`
}

// Rows is the number of facts written.
func (r *BulkFactsResult) Rows() int {
	return r.Registrations + r.Propaganda + r.Models + r.Recognitions + r.Grades
}

// FactLoader takes the rows of one BulkFacts load. Its methods return an
// error only when the database fails or the context ends; a bad row is
// recorded and reported by BulkFacts when load returns, so one run lists
// every bad row (up to antq.MaxReportedRowErrors).
type FactLoader struct {
	ctx     context.Context
	db      *DB
	tx      *Tx
	source  string
	plan    *rules.Plan
	factsID string
	sets    []*rules.RuleSet
	today   antq.Date
	actor   string
	rootID  int64

	codes     map[string]int32 // unit code → index in units
	units     []bulkUnit
	windows   map[antq.UnitKind]rules.Period
	regLoaded bool // registrations already in the database are marked

	writers [5]*batchInsert // registrations, propaganda, models, recognitions, grades
	row     int
	code    string // the unit code of the current row
	errs    rowErrors
	fatal   error
	res     BulkFactsResult
}

// bulkUnit is a unit of the plan's tree as the checks need it.
type bulkUnit struct {
	id    int64
	kind  antq.UnitKind
	flags antq.UnitFlags
	state uint16 // bulk* bits
}

const (
	bulkOutOfScope uint16 = 1 << iota
	bulkRegistration
	bulkPropaganda
	bulkRecognition
	bulkGrade
	bulkRegistered // in the database or earlier in the load
	bulkRecognitionDossier
	bulkGradingDossier
	bulkRecognitionDecided // carries a decision in the database: locked
	bulkGradeDecided
	bulkRecognised // "đạt" in the database or earlier in the load (the grades' gates)
)

const (
	writeRegistrations = iota
	writePropaganda
	writeModels
	writeRecognitions
	writeGrades
)

// newFactLoader loads what the checks need: the plan's tree with codes, the
// caller's scope in it and the units whose results dossiers govern.
func (db *DB) newFactLoader(ctx context.Context, tx *Tx, user *antq.User, plan *rules.Plan, factsID string, sets []*rules.RuleSet, source string) (*FactLoader, error) {
	l := &FactLoader{ctx: ctx, db: db, tx: tx, source: source, plan: plan, factsID: factsID, sets: sets,
		today: antq.DateOf(db.Now()), actor: actorName(ctx),
		windows: map[antq.UnitKind]rules.Period{}}
	l.res.Plan, l.res.Source = factsID, source

	tree, err := db.loadPlanTree(ctx, tx, plan)
	if err != nil {
		return nil, err
	}
	l.rootID = tree[0].id
	byID := make(map[int64]int32, len(tree))
	l.units = make([]bulkUnit, len(tree))
	for i := range tree {
		byID[tree[i].id] = int32(i)
		l.units[i] = bulkUnit{id: tree[i].id, kind: tree[i].kind, flags: tree[i].flags}
	}
	// Scope: a caller below the root sees its own subtree of the tree.
	if root, err := db.isRoot(ctx, tx, user.UnitID); err != nil {
		return nil, err
	} else if !root {
		for i := range l.units {
			l.units[i].state |= bulkOutOfScope
		}
		if i, ok := byID[user.UnitID]; ok {
			for queue := []int32{i}; len(queue) > 0; queue = queue[1:] {
				l.units[queue[0]].state &^= bulkOutOfScope
				queue = append(queue, tree[queue[0]].children...)
			}
		}
	}

	l.codes = make(map[string]int32, len(l.units))
	// byID keeps only the tree's unit versions.
	err = eachTreeDateUnit(ctx, tx, plan, "bulk facts: units", func(id int64, code string) {
		if i, ok := byID[id]; ok {
			l.codes[code] = i
		}
	})
	if err != nil {
		return nil, err
	}

	err = l.scanUnits(`SELECT unit_id, kind FROM dossiers WHERE plan_id = $1`, byID, func(u *bulkUnit, kind string) {
		switch yearend.DossierKind(kind) {
		case yearend.DossierRecognition:
			u.state |= bulkRecognitionDossier
		case yearend.DossierGrading:
			u.state |= bulkGradingDossier
		}
	})
	if err != nil {
		return nil, err
	}

	// Decided results are locked: a load never writes over one.
	err = l.scanUnits(`SELECT unit_id, result || CASE WHEN doc_number IS NULL THEN '' ELSE '+' END FROM recognitions WHERE plan_id = $1`, byID, func(u *bulkUnit, s string) {
		if strings.HasPrefix(s, string(antq.RecognitionMet)) {
			u.state |= bulkRecognised
		}
		if strings.HasSuffix(s, "+") {
			u.state |= bulkRecognitionDecided
		}
	})
	if err != nil {
		return nil, err
	}
	err = l.scanUnits(`SELECT unit_id, '' FROM grades WHERE plan_id = $1 AND doc_number IS NOT NULL`, byID, func(u *bulkUnit, _ string) {
		u.state |= bulkGradeDecided
	})
	if err != nil {
		return nil, err
	}

	doc := []string{"doc_number", "doc_date", "doc_issuer", "doc_title"}
	stamp := []string{"updated_at", "updated_by"}
	cols := func(c ...string) []string { return slices.Concat(c, doc, stamp) }
	upsert := func(c ...string) string {
		var set []string
		for _, col := range cols(c...) {
			set = append(set, col+" = excluded."+col)
		}
		return " ON CONFLICT (plan_id, unit_id) DO UPDATE SET " + strings.Join(set, ", ")
	}
	l.writers = [5]*batchInsert{
		db.newBatchInsert(ctx, tx, "registrations", cols("plan_id", "unit_id", "registered_on"), upsert("registered_on")),
		db.newBatchInsert(ctx, tx, "propaganda", cols("plan_id", "unit_id", "reached", "total", "as_of", "registered_total", "total_reason"), upsert("reached", "total", "as_of", "registered_total", "total_reason")),
		db.newBatchInsert(ctx, tx, "models", cols("plan_id", "unit_id", "name", "kind", "status", "effective", "started_on", "members", "assessed_on", "assessed_by", "assessment_basis"), ""),
		db.newBatchInsert(ctx, tx, "recognitions", cols("plan_id", "unit_id", "result", "decided_on"), upsert("result", "decided_on")),
		db.newBatchInsert(ctx, tx, "grades", cols("plan_id", "unit_id", "grade", "score_tenths", "rubric_grade", "override_reason"), upsert("grade", "score_tenths", "rubric_grade", "override_reason")),
	}
	return l, nil
}

// scanUnits runs a query of (unit_id, text) over the plan's facts and calls
// fn for each unit of the tree it names.
func (l *FactLoader) scanUnits(query string, byID map[int64]int32, fn func(u *bulkUnit, s string)) error {
	rows, err := l.tx.QueryContext(l.ctx, query, l.factsID)
	if err != nil {
		return fmt.Errorf("bulk facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return fmt.Errorf("bulk facts: %w", err)
		}
		if i, ok := byID[id]; ok {
			fn(&l.units[i], s)
		}
	}
	return rows.Err()
}
