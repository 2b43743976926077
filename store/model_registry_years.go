package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"antq"
	"antq/rules"
)

// RegistryEntry is one model of the registry across the plan years: the
// unit that runs it, what it is, each year's record of it, the model it
// replicates and the models that replicate it.
type RegistryEntry struct {
	ID           int64          `json:"id"`
	UnitCode     string         `json:"unit_code"`
	UnitName     string         `json:"unit_name"`
	Kind         string         `json:"kind"`
	Name         string         `json:"name"`
	StartedOn    antq.Date      `json:"started_on"`
	Replicates   *RegistryRef   `json:"replicates"`
	Years        []RegistryYear `json:"years"`
	Replications []RegistryRef  `json:"replications"`

	unitID int64
}

// RegistryRef names another model of the registry; InScope tells whether
// the reader may open it (else only its name is shown).
type RegistryRef struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	UnitCode string `json:"unit_code"`
	UnitName string `json:"unit_name"`
	InScope  bool   `json:"in_scope"`
}

// RegistryYear is a model's record in one plan year: its status that year
// (new, consolidated, maintained) and effectiveness assessment.
type RegistryYear struct {
	PlanID    string           `json:"plan_id"`
	Year      int              `json:"year"`
	ModelID   int64            `json:"model_id"`
	UnitCode  string           `json:"unit_code"`
	Status    antq.ModelStatus `json:"status"`
	Effective bool             `json:"effective"`
	Members   int64            `json:"members"`
	State     antq.FactState   `json:"state"`

	unitID int64
}

// RegistryCount is a unit's row of the registry's counts, rolled up the
// tree: the models under it, the replications of those models (by any
// unit), and how many of them replicate another model.
type RegistryCount struct {
	UnitCode     string `json:"unit_code"`
	UnitName     string `json:"unit_name"`
	Models       int    `json:"models"`
	Replications int    `json:"replications"`
	Replicating  int    `json:"replicating"`
}

// RegistryFigureValue is a plan's registry figure (rules.RegistryFigure)
// for a unit: of Existing models, Counted meet it, on approved facts; the
// Provisional pair counts submitted ones too.
type RegistryFigureValue struct {
	ID                  string      `json:"id"`
	Title               string      `json:"title"`
	Quote               string      `json:"quote,omitempty"`
	Note                string      `json:"note,omitempty"`
	Verified            bool        `json:"verified"`
	Share               rules.Ratio `json:"share"`
	Existing            int         `json:"existing"`
	Counted             int         `json:"counted"`
	Met                 bool        `json:"met"`
	ProvisionalExisting int         `json:"provisional_existing"`
	ProvisionalCounted  int         `json:"provisional_counted"`
}

// ModelRegistryView is the registry of a unit for a plan: its models with
// their years and replications, the counts of the unit (first) and of each
// unit directly under it, and the plan's registry figures.
type ModelRegistryView struct {
	PlanID   string                `json:"plan_id"`
	Year     int                   `json:"year"`
	UnitCode string                `json:"unit_code"`
	UnitName string                `json:"unit_name"`
	Entries  []*RegistryEntry      `json:"entries"`
	Counts   []RegistryCount       `json:"counts"`
	Figures  []RegistryFigureValue `json:"figures"`
}

// registryEntrySelect reads each model fact of an identity with its
// identity; from names the identities (alias i).
func registryEntrySelect(from string) string {
	return `SELECT i.id, i.unit_id, iu.code, iu.name, i.kind, i.name, i.started_on, i.replicates_id,
  m.plan_id, m.id, m.unit_id, mu.code, m.status, CASE WHEN m.effective AND m.assessed_by IS NOT NULL THEN 1 ELSE 0 END, m.members, m.state
FROM ` + from + ` JOIN units iu ON iu.id = i.unit_id JOIN models m ON m.identity_id = i.id JOIN units mu ON mu.id = m.unit_id
ORDER BY iu.sort_key, iu.code, i.id, m.plan_id`
}

// readRegistryEntries reads the entries query (registryEntrySelect) finds,
// each year named by its plan's year, in year order.
func (db *DB) readRegistryEntries(ctx context.Context, cat *rules.Catalog, query string, args ...any) ([]*RegistryEntry, error) {
	var out []*RegistryEntry
	err := queryEach(ctx, db.read, "model registry", func(rows *sql.Rows) error {
		var e RegistryEntry
		var y RegistryYear
		var rep sql.NullInt64
		var status, state string
		if err := rows.Scan(&e.ID, &e.unitID, &e.UnitCode, &e.UnitName, &e.Kind, &e.Name, &e.StartedOn, &rep,
			&y.PlanID, &y.ModelID, &y.unitID, &y.UnitCode, &status, &y.Effective, &y.Members, &state); err != nil {
			return err
		}
		y.Status, y.State = antq.ModelStatus(status), antq.FactState(state)
		if p, err := cat.Plan(y.PlanID); err == nil {
			y.Year = p.Year
		}
		if n := len(out); n == 0 || out[n-1].ID != e.ID {
			if rep.Valid {
				e.Replicates = &RegistryRef{ID: rep.Int64}
			}
			e.Replications = []RegistryRef{}
			out = append(out, &e)
		}
		last := out[len(out)-1]
		last.Years = append(last.Years, y)
		return nil
	}, query, args...)
	for _, e := range out {
		slices.SortStableFunc(e.Years, func(a, b RegistryYear) int { return a.Year - b.Year })
	}
	return out, err
}

// fillReplications names each entry's model replicated and lists the
// models that replicate it (those with a fact in some year), each marked
// in scope when inScope says so.
func (db *DB) fillReplications(ctx context.Context, entries []*RegistryEntry, inScope func(unitID int64) bool) error {
	if len(entries) == 0 {
		return nil
	}
	byID := map[int64]*RegistryEntry{}
	var args []any
	for _, e := range entries {
		byID[e.ID] = e
		if e.Replicates != nil {
			args = append(args, e.Replicates.ID)
		}
		args = append(args, e.ID)
	}
	// Entries come in batches so that no statement has too many
	// parameters.
	const batch = 500
	for start := 0; start < len(args); start += batch {
		end := min(start+batch, len(args))
		// This batch's parameters, numbered from $1.
		var part []any
		var ph []string
		for i := start; i < end; i++ {
			part = append(part, args[i])
			ph = append(ph, fmt.Sprintf("$%d", len(part)))
		}
		list := strings.Join(ph, ", ")
		err := queryEach(ctx, db.read, "model replications", func(rows *sql.Rows) error {
			var r RegistryRef
			var unitID int64
			var rep sql.NullInt64
			if err := rows.Scan(&r.ID, &r.Name, &unitID, &r.UnitCode, &r.UnitName, &rep); err != nil {
				return err
			}
			r.InScope = inScope(unitID)
			for _, e := range entries {
				if e.Replicates != nil && e.Replicates.ID == r.ID {
					id := e.Replicates.ID
					*e.Replicates = r
					e.Replicates.ID = id
				}
			}
			if rep.Valid {
				if e := byID[rep.Int64]; e != nil && r.ID != e.ID {
					e.Replications = append(e.Replications, r)
				}
			}
			return nil
		}, `SELECT r.id, r.name, r.unit_id, u.code, u.name, r.replicates_id FROM model_identities r JOIN units u ON u.id = r.unit_id
WHERE (r.id IN (`+list+`) OR r.replicates_id IN (`+list+`)) AND EXISTS (SELECT 1 FROM models m WHERE m.identity_id = r.id)
ORDER BY u.sort_key, u.code, r.id`, part...)
		if err != nil {
			return err
		}
	}
	for _, e := range entries {
		e.Replications = dedupRefs(e.Replications)
	}
	return nil
}

// dedupRefs drops the references listed twice (an identity met in two
// batches).
func dedupRefs(refs []RegistryRef) []RegistryRef {
	seen := map[int64]bool{}
	out := refs[:0]
	for _, r := range refs {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	return out
}

// registryTarget is builtTarget for a read of the model registry, with the
// catalogue of rule sets the registry's entries are read with.
func (db *DB) registryTarget(ctx context.Context, planID, code string) (*factTarget, *rules.Catalog, error) {
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, nil, err
	}
	cat, err := db.Catalog(ctx)
	if err != nil {
		return nil, nil, err
	}
	return t, cat, nil
}

// ModelRegistryOf returns the registry of the unit with code ("" = the
// plan's root) for the plan: every model run under it (itself included)
// with all its years, its replications, the counts rolled up the tree and
// the plan's registry figures. A unit outside the caller's scope is not
// found.
func (db *DB) ModelRegistryOf(ctx context.Context, planID, code string) (*ModelRegistryView, error) {
	t, cat, err := db.registryTarget(ctx, planID, code)
	if err != nil {
		return nil, err
	}
	v := &ModelRegistryView{PlanID: t.plan.ID, Year: t.plan.Year, UnitCode: t.unit.Code, UnitName: t.unit.Name}
	type node struct {
		parent     int64
		code, name string
		kind       antq.UnitKind
	}
	units := map[int64]*node{}
	err = queryEach(ctx, db.read, "model registry units", func(rows *sql.Rows) error {
		var id int64
		var n node
		var kind string
		if err := rows.Scan(&id, &n.parent, &n.code, &n.name, &kind); err != nil {
			return err
		}
		n.kind = antq.UnitKind(kind)
		units[id] = &n
		return nil
	}, withPlanSubtree("$1", "$2")+`SELECT sub.id, us.parent_id, u.code, u.name, us.kind FROM sub
JOIN unit_status us ON us.plan_id = $2 AND us.unit_id = sub.id JOIN units u ON u.id = sub.id`, t.unit.ID, t.plan.ID)
	if err != nil {
		return nil, err
	}
	// The unit's models: those it runs, and those with a record of the
	// plan year under it (an entry whose unit is that of a later year).
	v.Entries, err = db.readRegistryEntries(ctx, cat, withPlanSubtree("$1", "$2")+
		registryEntrySelect(`(SELECT i2.id FROM sub JOIN model_identities i2 ON i2.unit_id = sub.id
  UNION SELECT m2.identity_id FROM sub JOIN models m2 ON m2.unit_id = sub.id AND m2.plan_id = $3 WHERE m2.identity_id IS NOT NULL) ids
JOIN model_identities i ON i.id = ids.id`), t.unit.ID, t.plan.ID, t.factsPlanID)
	if err != nil {
		return nil, err
	}
	if err := db.fillReplications(ctx, v.Entries, func(id int64) bool { return units[id] != nil }); err != nil {
		return nil, err
	}
	// Counts: the unit's own row, then one per unit directly under it.
	rows := map[int64]*RegistryCount{t.unit.ID: {UnitCode: t.unit.Code, UnitName: t.unit.Name}}
	var order []int64
	for id, n := range units {
		if n.parent == t.unit.ID && id != t.unit.ID {
			rows[id] = &RegistryCount{UnitCode: n.code, UnitName: n.name}
			order = append(order, id)
		}
	}
	for _, e := range v.Entries {
		// A model counts where it is in the plan year, else at its unit.
		from := e.unitID
		for _, y := range e.Years {
			if y.PlanID == t.factsPlanID && units[y.unitID] != nil {
				from = y.unitID
			}
		}
		for at, steps := from, 0; steps <= maxTreeDepth; steps++ {
			if r := rows[at]; r != nil {
				r.Models++
				r.Replications += len(e.Replications)
				if e.Replicates != nil {
					r.Replicating++
				}
			}
			if at == t.unit.ID || units[at] == nil {
				break
			}
			at = units[at].parent
		}
	}
	// The tree's order: numbers inside names by value (Khu phố 2 before Khu
	// phố 10), as every list of units.
	slices.SortFunc(order, func(a, b int64) int {
		if c := bytes.Compare(antq.SortKey(units[a].name), antq.SortKey(units[b].name)); c != 0 {
			return c
		}
		return strings.Compare(units[a].code, units[b].code)
	})
	v.Counts = append(v.Counts, *rows[t.unit.ID])
	for _, id := range order {
		v.Counts = append(v.Counts, *rows[id])
	}
	kindOf := func(id int64) antq.UnitKind {
		if n := units[id]; n != nil {
			return n.kind
		}
		return ""
	}
	v.Figures = registryFigures(t.plan, t.factsPlanID, v.Entries, kindOf)
	return v, nil
}

// registryFigures computes the plan's registry figures from the entries:
// each entry's fact of the plan year at a unit of the figure's kinds that
// existed before the year (not new this year, or recorded in an earlier
// year) counts in Existing; those whose status is one of the figure's (and
// effective, when it asks) in Counted.
func registryFigures(plan *rules.Plan, factsPlanID string, entries []*RegistryEntry, kindOf func(int64) antq.UnitKind) []RegistryFigureValue {
	out := []RegistryFigureValue{}
	for _, f := range plan.RegistryFigures {
		fv := RegistryFigureValue{ID: f.ID, Title: f.Title, Quote: f.Quote, Note: f.Note, Verified: f.Verified, Share: f.Share}
		for _, e := range entries {
			earlier := false
			for _, y := range e.Years {
				if y.PlanID != factsPlanID && y.Year < plan.Year {
					earlier = true
				}
			}
			for _, y := range e.Years {
				if y.PlanID != factsPlanID || !slices.Contains(f.UnitKinds, kindOf(y.unitID)) || (y.Status == antq.ModelNew && !earlier) {
					continue
				}
				counts := slices.Contains(f.Statuses, y.Status) && (!f.Effective || y.Effective)
				if y.State == antq.FactApproved {
					fv.Existing++
					if counts {
						fv.Counted++
					}
				}
				if y.State == antq.FactApproved || y.State == antq.FactSubmitted {
					fv.ProvisionalExisting++
					if counts {
						fv.ProvisionalCounted++
					}
				}
			}
		}
		fv.Met = fv.Existing > 0 && rules.Ratio{Num: int64(fv.Counted), Den: int64(fv.Existing)}.AtLeast(f.Share)
		out = append(out, fv)
	}
	return out
}

// ModelEntry returns one model of the registry with its years and
// replications, when its unit is in the caller's scope (else not found).
func (db *DB) ModelEntry(ctx context.Context, planID string, id int64) (*RegistryEntry, error) {
	plan, cat, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	notFound := antq.Errorf(antq.ENOTFOUND, "Không tìm thấy mô hình số %d trong sổ mô hình", id)
	entries, err := db.readRegistryEntries(ctx, cat, strings.Replace(registryEntrySelect("model_identities i"), "\nORDER BY", "\nWHERE i.id = $1\nORDER BY", 1), id)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, notFound
	}
	e := entries[0]
	seen := map[int64]bool{}
	scoped := func(unitID int64) bool {
		if v, ok := seen[unitID]; ok {
			return v
		}
		in, err := db.inScope(ctx, db.read, unitID, plan.Window.To)
		if err == nil && !in {
			in, err = db.inScope(ctx, db.read, unitID, e.latestDate(cat))
		}
		seen[unitID] = err == nil && in
		return seen[unitID]
	}
	if !scoped(e.unitID) {
		return nil, notFound
	}
	return e, db.fillReplications(ctx, entries, scoped)
}

// latestDate is the last day of the latest plan year the entry is recorded
// in: the day its unit was last in the tree for it.
func (e *RegistryEntry) latestDate(cat *rules.Catalog) antq.Date {
	d := antq.Date{}
	for _, y := range e.Years {
		if p, err := cat.Plan(y.PlanID); err == nil && d.Before(p.Window.To) {
			d = p.Window.To
		}
	}
	return d
}
