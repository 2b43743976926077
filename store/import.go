package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"antq"
)

// ImportResult reports what ImportUnits wrote.
type ImportResult struct {
	File     string           `json:"file"`
	Units    int              `json:"units"`
	ByKind   []antq.KindCount `json:"by_kind"`
	Sizes    int              `json:"sizes"` // size snapshots written
	Duration time.Duration    `json:"duration"`
}

// RowsPerSecond is the import throughput.
func (r ImportResult) RowsPerSecond() float64 {
	if r.Duration <= 0 {
		return 0
	}
	return float64(r.Units) / r.Duration.Seconds()
}

// ImportUnits adds the units of one import file, all or nothing, in one
// transaction. Before writing anything it checks every record: its own
// fields (Unit.Validate), its code against the file and against existing
// versions whose validity overlaps, its parent (in the file or the database,
// in force on the unit's valid_from, of a kind that may hold it, outliving
// it, inside the caller's scope) and cycles. Any problem returns
// antq.ImportErrors naming file, row and column, and nothing is written.
//
// On success the records are completed in place: Unit.ID, Unit.ParentID and
// the default managing level of organisations (from the parent's kind).
//
// Ids are allocated in Go in one block (SQLite: MAX(id)+1 under the write
// lock; PostgreSQL: a block of the identity sequence, with the units table
// locked against other writers), so no row needs a round trip for its id.
// The checks are in import_check.go, the writing in import_load.go.
func (db *DB) ImportUnits(ctx context.Context, file string, recs []antq.UnitRecord) (_ ImportResult, err error) {
	defer func() { err = writeError(err) }() // a full disk: said so, nothing written
	start := time.Now()
	res := ImportResult{File: file}
	user, err := signedIn(ctx)
	if err != nil {
		return res, err
	}
	if len(recs) == 0 {
		return res, antq.ImportErrors{{File: file, Reason: "không có đơn vị nào để nhập (no units to import)"}}
	}

	// A dedicated connection: on PostgreSQL the bulk copy runs on the very
	// session that holds the transaction.
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("import units: %w", err)
	}
	defer conn.Close()
	// A bulk load (a nation's units into a young database) is faster with
	// the secondary indexes and foreign keys of the unit tables rebuilt or
	// checked once at the end than maintained row by row: when the file is
	// large and at least a quarter of the units already there (ids are
	// dense, so the largest id counts them well enough).
	var maxID int64
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM units`).Scan(&maxID); err != nil {
		return res, fmt.Errorf("import units: %w", err)
	}
	bulk := len(recs) >= bulkMinRows && int64(len(recs))*4 >= maxID
	if bulk {
		reset, err := db.bulkSession(ctx, conn)
		if err != nil {
			return res, err
		}
		defer reset()
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("import units: begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, db: db, now: db.Now().UTC()}
	defer tx.Rollback()
	if err := db.dialect.lock(ctx, tx, db.dialect.unitsLockSQL); err != nil {
		return res, fmt.Errorf("import units: lock: %w", err)
	}

	checked, err := db.checkImport(ctx, tx, user, file, recs)
	if err != nil {
		return res, err
	}
	firstID, err := db.dialect.allocateUnitIDs(ctx, tx, len(recs))
	if err != nil {
		return res, err
	}
	for i := range recs {
		u := &recs[i].Unit
		u.ID = firstID + int64(i)
		switch p := checked.parent[i]; {
		case p > 0:
			u.ParentID = p
		case p < 0:
			u.ParentID = firstID + (-p - 1)
		default:
			u.ParentID = 0
		}
		if u.Size.AsOf.IsZero() {
			u.Size.AsOf = u.ValidFrom
		}
	}
	checked.parent = nil // the ids say it all now

	var restore []string
	if bulk {
		if restore, err = db.suspendUnitIndexes(ctx, tx); err != nil {
			return res, err
		}
	}
	if res.Sizes, err = db.dialect.loadUnits(ctx, conn, tx, recs); err != nil {
		return res, fmt.Errorf("import units: %w", err)
	}
	for _, stmt := range restore {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return res, fmt.Errorf("import units: restore %q: %w", stmt, err)
		}
	}
	if bulk {
		if err := foreignKeyCheck(ctx, tx, db.dialect.bulkForeignKeyCheck...); err != nil {
			return res, err
		}
	}

	// New units change plans' trees: their figures are rebuilt on next use
	// (a rebuild writes only what differs).
	if err := db.invalidateIndicators(ctx, tx); err != nil {
		return res, err
	}
	if err := db.registryChanged(ctx, tx); err != nil {
		return res, err
	}
	res.Units = len(recs)
	for _, k := range antq.UnitKinds {
		if n := checked.byKind[k]; n > 0 {
			res.ByKind = append(res.ByKind, antq.KindCount{Kind: k, Count: n})
		}
	}
	var unitID int64
	if len(recs) == 1 {
		unitID = recs[0].Unit.ID
	}
	if err := db.audit(ctx, tx, auditEntry{Action: "import", Entity: "unit", Key: file, UnitID: unitID,
		New: struct {
			File    string           `json:"file"`
			Units   int              `json:"units"`
			ByKind  []antq.KindCount `json:"by_kind"`
			FirstID int64            `json:"first_id"`
		}{file, res.Units, res.ByKind, firstID}}); err != nil {
		return res, err
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("import units: commit: %w", err)
	}
	res.Duration = time.Since(start)
	if bulk {
		// PostgreSQL plans with stale statistics after a bulk load (finding
		// one unit by code walked a whole index); refresh them.
		if err := db.Analyze(ctx, "units", "unit_links", "unit_sizes"); err != nil {
			return res, err
		}
	}
	return res, nil
}

// CreateUnit adds one unit: a one-record import, with the same checks. On
// success u.ID, u.ParentID and the default managing level are set. Errors
// are EINVALID (ECONFLICT for a duplicate code) with the reason per field.
func (db *DB) CreateUnit(ctx context.Context, u *antq.Unit) error {
	recs := []antq.UnitRecord{{Unit: *u}}
	if _, err := db.ImportUnits(ctx, "", recs); err != nil {
		var ie antq.ImportErrors
		if !errors.As(err, &ie) {
			return err
		}
		e := &antq.Error{Code: antq.EINVALID, Message: "Thông tin đơn vị không hợp lệ", Fields: map[string]string{}, Err: ie}
		for _, re := range ie {
			field := re.Column
			if field == "level" {
				field = "kind"
			}
			if strings.HasPrefix(re.Reason, reasonCodeExists) {
				e.Code = antq.ECONFLICT
			}
			if _, ok := e.Fields[field]; !ok {
				e.Fields[field] = re.Reason
			}
		}
		return e
	}
	*u = recs[0].Unit
	return nil
}

// bulkMinRows is the size from which an import that is also at least a
// quarter of the existing units rebuilds indexes and checks foreign keys at
// the end.
const bulkMinRows = 20_000

// bulkSession applies the dialect's connection settings for a bulk load
// and returns what puts them back afterwards; a connection that cannot be
// put back is discarded, never reused as it is.
func (db *DB) bulkSession(ctx context.Context, conn *sql.Conn) (reset func(), err error) {
	for _, p := range db.dialect.bulkSessionSQL {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return nil, fmt.Errorf("import units: %s: %w", p, err)
		}
	}
	return func() {
		for _, p := range db.dialect.bulkSessionResetSQL {
			if _, err := conn.ExecContext(context.Background(), p); err != nil {
				conn.Raw(func(any) error { return driver.ErrBadConn })
				return
			}
		}
	}, nil
}

// suspendUnitIndexes drops the non-unique secondary indexes of units,
// unit_links and unit_sizes and, on PostgreSQL, the foreign keys of
// unit_links and unit_sizes (each checked by a trigger per row there), and
// returns the statements that put them back, exactly as the schema defines
// them. Unique indexes stay: they guard the data. On PostgreSQL the DDL
// holds an exclusive lock on the tables until commit, so readers of units
// wait for a bulk import to finish; SQLite readers keep reading their
// snapshot.
func (db *DB) suspendUnitIndexes(ctx context.Context, tx *Tx) (restore []string, err error) {
	type object struct{ drop, create string }
	var objs []object
	collect := func(query string) error {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o object
			if err := rows.Scan(&o.drop, &o.create); err != nil {
				return err
			}
			objs = append(objs, o)
		}
		return rows.Err()
	}
	for _, q := range db.dialect.suspendableSQL {
		if err = collect(q); err != nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("import units: list indexes: %w", err)
	}
	for _, o := range objs {
		if _, err := tx.ExecContext(ctx, o.drop); err != nil {
			return nil, fmt.Errorf("import units: %s: %w", o.drop, err)
		}
		restore = append(restore, o.create)
	}
	return restore, nil
}

// foreignKeyCheck fails when a row of the tables breaks a foreign key
// (SQLite, after loading with foreign keys off).
func foreignKeyCheck(ctx context.Context, tx *Tx, tables ...string) error {
	for _, t := range tables {
		rows, err := tx.QueryContext(ctx, `SELECT "table", rowid, parent FROM pragma_foreign_key_check($1)`, t)
		if err != nil {
			return fmt.Errorf("import units: foreign key check: %w", err)
		}
		var table, parent string
		var rowid sql.NullInt64
		found := rows.Next()
		if found {
			err = rows.Scan(&table, &rowid, &parent)
		}
		rows.Close()
		if err != nil {
			return fmt.Errorf("import units: foreign key check: %w", err)
		} else if found {
			return fmt.Errorf("import units: %s row %d refers to a missing %s row", table, rowid.Int64, parent)
		}
	}
	return nil
}
