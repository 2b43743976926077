package store

import (
	"context"
	"fmt"

	"antq"
)

// migrationSteps are the parts of a migration SQL cannot do, run in the
// migration's transaction right after its SQL, by migration number.
var migrationSteps = map[int]func(ctx context.Context, tx *Tx) error{
	16: rekeyUnits,
	25: numberBuiltTrees,
}

// rekeyUnits recomputes every unit version's sort key with antq.SortKey
// (since migration 16 numbers inside names order by value: Khu phố 2 before
// Khu phố 10).
func rekeyUnits(ctx context.Context, tx *Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM units`)
	if err != nil {
		return fmt.Errorf("rekey units: %w", err)
	}
	type unitName struct {
		id   int64
		name string
	}
	var all []unitName
	for rows.Next() {
		var u unitName
		if err := rows.Scan(&u.id, &u.name); err != nil {
			rows.Close()
			return fmt.Errorf("rekey units: %w", err)
		}
		all = append(all, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rekey units: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `UPDATE units SET sort_key = $1 WHERE id = $2`)
	if err != nil {
		return fmt.Errorf("rekey units: %w", err)
	}
	defer stmt.Close()
	for _, u := range all {
		if _, err := stmt.ExecContext(ctx, antq.SortKey(u.name), u.id); err != nil {
			return fmt.Errorf("rekey unit %d: %w", u.id, err)
		}
	}
	return nil
}
