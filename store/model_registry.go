package store

import (
	"context"
	"database/sql"
	"strings"

	"antq"
)

// ModelRow is one model of the registry of models: the unit that built
// it, and the model.
type ModelRow struct {
	Unit  *antq.Unit
	Model *antq.Model
}

// prefixScanner scans the leading columns of a row into pre, the rest
// into what its caller asks for.
type prefixScanner struct {
	row rowScanner
	pre []any
}

func (p prefixScanner) Scan(dest ...any) error { return p.row.Scan(append(p.pre, dest...)...) }

// ModelRegistry calls fn with every model built under the unit with code
// ("" = the plan's root), itself included, for the plan, in the tree's
// order (units by name, models by number), as the rows are read: the
// registry is streamed, never held in memory.
func (db *DB) ModelRegistry(ctx context.Context, planID, code string, fn func(ModelRow) error) error {
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return err
	}
	cols := strings.TrimPrefix(strings.TrimSuffix(modelSelect, " FROM models "), "SELECT ")
	var prefixed []string
	for _, c := range strings.Split(cols, ",") {
		prefixed = append(prefixed, "m."+strings.TrimSpace(c))
	}
	return queryEach(ctx, db.read, "model registry", func(rows *sql.Rows) error {
		u := &antq.Unit{}
		var kind string
		m, err := scanModel(prefixScanner{row: rows, pre: []any{&u.Code, &u.Name, &kind, &u.Type}})
		if err != nil {
			return err
		}
		u.Kind = antq.UnitKind(kind)
		return fn(ModelRow{Unit: u, Model: m})
	}, withPlanSubtree("$1", "$2")+`
SELECT u.code, u.name, u.kind, u.type_label, `+strings.Join(prefixed, ", ")+`
FROM sub JOIN models m ON m.unit_id = sub.id AND m.plan_id = $3 JOIN units u ON u.id = sub.id
ORDER BY u.sort_key, u.code, m.id`, t.unit.ID, t.plan.ID, t.factsPlanID)
}
