package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// batchInsert sends rows to one table as multi-row INSERT statements of up
// to batchParams parameters, in the dialect's parameter style; the
// statement for a full batch is prepared once. add takes a row (or append
// its values to args and call rowDone); flush sends the rest.
type batchInsert struct {
	ctx     context.Context
	tx      *Tx
	dialect *dialect
	table   string
	cols    []string
	suffix  string // after the VALUES lists: an ON CONFLICT clause, or ""
	batch   int    // rows per full statement
	stmt    *sql.Stmt
	args    []any // values of the rows not sent yet
	rows    int
}

// batchParams bounds the parameters of one statement (SQLite allows 32766,
// PostgreSQL 65535).
const batchParams = 8000

// newBatchInsert starts a batch of rows of cols into table; suffix follows
// the VALUES lists (e.g. " ON CONFLICT (…) DO UPDATE SET …").
func (db *DB) newBatchInsert(ctx context.Context, tx *Tx, table string, cols []string, suffix string) *batchInsert {
	batch := batchParams / len(cols)
	return &batchInsert{ctx: ctx, tx: tx, dialect: &db.dialect, table: table, cols: cols, suffix: suffix,
		batch: batch, args: make([]any, 0, batch*len(cols))}
}

// insertSQL writes the statement for rows rows.
func (w *batchInsert) insertSQL(rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", w.table, strings.Join(w.cols, ", "))
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range w.cols {
			if c > 0 {
				b.WriteString(", ")
			}
			n++
			w.dialect.writeParam(&b, n)
		}
		b.WriteByte(')')
	}
	b.WriteString(w.suffix)
	return b.String()
}

// add appends one row's values, in the order of cols.
func (w *batchInsert) add(values ...any) error {
	w.args = append(w.args, values...)
	return w.rowDone()
}

// rowDone ends the row whose values were appended to args, sending a full
// batch.
func (w *batchInsert) rowDone() error {
	if w.rows++; w.rows < w.batch {
		return nil
	}
	if w.stmt == nil {
		stmt, err := w.tx.PrepareContext(w.ctx, w.insertSQL(w.batch))
		if err != nil {
			return fmt.Errorf("insert %s: %w", w.table, err)
		}
		w.stmt = stmt
	}
	if _, err := w.stmt.ExecContext(w.ctx, w.args...); err != nil {
		return fmt.Errorf("insert %s: %w", w.table, err)
	}
	clear(w.args) // drop references to the sent values
	w.args, w.rows = w.args[:0], 0
	return nil
}

// flush sends the last, partial batch and releases the statement.
func (w *batchInsert) flush() error {
	if w.stmt != nil {
		defer w.stmt.Close()
		w.stmt = nil
	}
	if w.rows == 0 {
		return nil
	}
	if _, err := w.tx.ExecContext(w.ctx, w.insertSQL(w.rows), w.args...); err != nil {
		return fmt.Errorf("insert %s: %w", w.table, err)
	}
	clear(w.args)
	w.args, w.rows = w.args[:0], 0
	return nil
}
