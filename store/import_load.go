package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"antq"
)

// The writing of ImportUnits: ids, then units, links and sizes in bulk
// (batched INSERTs on SQLite, COPY on PostgreSQL), with the names' folded
// form and collation key derived alongside.

// allocateUnitIDsSQLite takes the ids after the largest: the write lock is
// held since BEGIN IMMEDIATE, so nobody else inserts.
func allocateUnitIDsSQLite(ctx context.Context, tx *Tx, n int) (int64, error) {
	var first int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM units`).Scan(&first); err != nil {
		return 0, fmt.Errorf("import units: ids: %w", err)
	}
	return first, nil
}

// allocateUnitIDsPostgres takes a block of the identity sequence. The table
// lock keeps other unit writers out, so the block from the sequence's next
// value (or past any id written explicitly) is ours; the sequence is moved
// past it for later inserts.
func allocateUnitIDsPostgres(ctx context.Context, tx *Tx, n int) (int64, error) {
	var first int64
	var seq string
	if err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence('units', 'id')`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("import units: ids: %w", err)
	}
	err := tx.QueryRowContext(ctx, `SELECT GREATEST(nextval($1::regclass), (SELECT COALESCE(MAX(id), 0) + 1 FROM units))`, seq).Scan(&first)
	if err != nil {
		return 0, fmt.Errorf("import units: ids: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `SELECT setval($1::regclass, $2)`, seq, first+int64(n)-1); err != nil {
		return 0, fmt.Errorf("import units: ids: %w", err)
	}
	return first, nil
}

var (
	unitInsertColumns = []string{"id", "code", "kind", "name", "type_label", "name_folded", "sort_key",
		"managing_level", "armed_forces", "small_enterprise", "primary_school", "budget_funded", "no_legal_entity", "valid_from", "valid_to"}
	linkInsertColumns = []string{"unit_id", "parent_id", "valid_from", "valid_to"}
	sizeInsertColumns = []string{"unit_id", "as_of", "households", "staff", "pupils"}
)

// hasLink: the record has a parent (a row of unit_links).
func hasLink(u *antq.Unit) bool { return u.ParentID != 0 }

// hasSize: the record gives a size (a row of unit_sizes).
func hasSize(u *antq.Unit) bool {
	return u.Size.Households != nil || u.Size.Staff != nil || u.Size.Pupils != nil
}

func intOrNil(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// A row's values for each table, appended to buf; date gives a date as the
// engine takes it (sqliteDate, postgresDate).

func unitRow(u *antq.Unit, folded string, key []byte, date func(antq.Date) any, buf []any) []any {
	return append(buf, u.ID, u.Code, string(u.Kind), u.Name, u.Type, folded, key, string(u.ManagingLevel),
		u.Flags.ArmedForces, u.Flags.SmallEnterprise, u.Flags.PrimarySchool, u.Flags.BudgetFunded, u.Flags.NoLegalEntity, date(u.ValidFrom), date(u.ValidTo))
}

func linkRow(u *antq.Unit, date func(antq.Date) any, buf []any) []any {
	return append(buf, u.ID, u.ParentID, date(u.ValidFrom), date(u.ValidTo))
}

func sizeRow(u *antq.Unit, date func(antq.Date) any, buf []any) []any {
	return append(buf, u.ID, date(u.Size.AsOf), intOrNil(u.Size.Households), intOrNil(u.Size.Staff), intOrNil(u.Size.Pupils))
}

// sqliteDate is a date as SQLite stores it (text), NULL for none.
func sqliteDate(d antq.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// postgresDate is a date as COPY takes it, NULL for none.
func postgresDate(d antq.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

// recordRow is linkRow or sizeRow.
type recordRow func(u *antq.Unit, date func(antq.Date) any, buf []any) []any

// insertUnitsSQLite writes the units, their links and sizes with batched
// multi-row INSERTs in the transaction.
func insertUnitsSQLite(ctx context.Context, _ *sql.Conn, tx *Tx, recs []antq.UnitRecord) (sizes int, err error) {
	names := deriveNames(ctx, recs)
	defer names.stop()
	w := tx.db.newBatchInsert(ctx, tx, "units", unitInsertColumns, "")
	for i := range recs {
		folded, key, err := names.next()
		if err != nil {
			return 0, err
		}
		w.args = unitRow(&recs[i].Unit, folded, key, sqliteDate, w.args)
		if err := w.rowDone(); err != nil {
			return 0, err
		}
	}
	if err := w.flush(); err != nil {
		return 0, err
	}
	if _, err := insertRecordRows(ctx, tx, "unit_links", linkInsertColumns, recs, hasLink, linkRow); err != nil {
		return 0, err
	}
	return insertRecordRows(ctx, tx, "unit_sizes", sizeInsertColumns, recs, hasSize, sizeRow)
}

// insertRecordRows inserts a row for each record that has one in table
// (keep) and returns how many it inserted (SQLite: dates as text).
func insertRecordRows(ctx context.Context, tx *Tx, table string, cols []string, recs []antq.UnitRecord, keep func(*antq.Unit) bool, row recordRow) (n int, err error) {
	w := tx.db.newBatchInsert(ctx, tx, table, cols, "")
	for i := range recs {
		if u := &recs[i].Unit; keep(u) {
			w.args = row(u, sqliteDate, w.args)
			if err := w.rowDone(); err != nil {
				return 0, err
			}
			n++
		}
	}
	return n, w.flush()
}

// copyUnitsPostgres writes the units, links and sizes with COPY on the
// connection that holds the transaction.
func copyUnitsPostgres(ctx context.Context, conn *sql.Conn, _ *Tx, recs []antq.UnitRecord) (sizes int, err error) {
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		sizes, err = copyUnits(ctx, c.Conn(), recs)
		return err
	})
	return sizes, err
}

// copyUnits sends the three COPY streams.
func copyUnits(ctx context.Context, c *pgx.Conn, recs []antq.UnitRecord) (sizes int, err error) {
	names := deriveNames(ctx, recs)
	defer names.stop()
	i := -1
	var buf []any
	units := &copySource{next: func() ([]any, bool, error) {
		if i++; i >= len(recs) {
			return nil, false, nil
		}
		folded, key, err := names.next()
		if err != nil {
			return nil, false, err
		}
		buf = unitRow(&recs[i].Unit, folded, key, postgresDate, buf[:0])
		return buf, true, nil
	}}
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"units"}, unitInsertColumns, units); err != nil {
		return 0, fmt.Errorf("copy units: %w", err)
	}
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"unit_links"}, linkInsertColumns, recordRows(recs, hasLink, linkRow)); err != nil {
		return 0, fmt.Errorf("copy unit_links: %w", err)
	}
	n, err := c.CopyFrom(ctx, pgx.Identifier{"unit_sizes"}, sizeInsertColumns, recordRows(recs, hasSize, sizeRow))
	if err != nil {
		return 0, fmt.Errorf("copy unit_sizes: %w", err)
	}
	return int(n), nil
}

// recordRows is a COPY source of one row for each record that has one
// (keep), with the values row gives (one buffer for every row: COPY
// encodes a row before asking for the next).
func recordRows(recs []antq.UnitRecord, keep func(*antq.Unit) bool, row recordRow) *copySource {
	i := -1
	var buf []any
	return &copySource{next: func() ([]any, bool, error) {
		for i++; i < len(recs); i++ {
			if u := &recs[i].Unit; keep(u) {
				buf = row(u, postgresDate, buf[:0])
				return buf, true, nil
			}
		}
		return nil, false, nil
	}}
}

// copySource adapts a row function to pgx.CopyFromSource.
type copySource struct {
	next func() ([]any, bool, error)
	vals []any
	err  error
}

func (s *copySource) Next() bool {
	var ok bool
	s.vals, ok, s.err = s.next()
	return ok && s.err == nil
}
func (s *copySource) Values() ([]any, error) { return s.vals, nil }
func (s *copySource) Err() error             { return s.err }

// nameDeriver computes each record's folded name and collation key on a
// second goroutine, a chunk ahead of the writer: collation costs about as
// much as the insert, and a 2-core machine can do both at once. Memory stays
// at a few chunks whatever the file size.
type nameDeriver struct {
	ch     chan nameChunk
	done   chan struct{}
	cur    nameChunk
	pos    int
	cancel context.CancelFunc
}

type nameChunk struct {
	folded []string
	keys   [][]byte
}

const nameChunkSize = 2048

func deriveNames(ctx context.Context, recs []antq.UnitRecord) *nameDeriver {
	ctx, cancel := context.WithCancel(ctx)
	d := &nameDeriver{ch: make(chan nameChunk, 4), done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(d.done)
		defer close(d.ch)
		// Names repeat a lot (Ấp 1, Khu phố 2, Trường Tiểu học …): remember
		// recent ones.
		type derived struct {
			folded string
			key    []byte
		}
		cache := make(map[string]derived, 4096)
		var folder wordFolder
		for chunk := range slices.Chunk(recs, nameChunkSize) {
			c := nameChunk{folded: make([]string, len(chunk)), keys: make([][]byte, len(chunk))}
			for i := range chunk {
				name := chunk[i].Unit.Name
				v, ok := cache[name]
				if !ok {
					v = derived{folder.fold(name), antq.SortKey(name)}
					if len(cache) >= 50000 {
						clear(cache)
					}
					cache[name] = v
				}
				c.folded[i], c.keys[i] = v.folded, v.key
			}
			select {
			case d.ch <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	return d
}

// next returns the folded name and sort key of the next record.
func (d *nameDeriver) next() (string, []byte, error) {
	if d.pos == len(d.cur.folded) {
		c, ok := <-d.ch
		if !ok {
			return "", nil, errors.New("import units: names ended early")
		}
		d.cur, d.pos = c, 0
	}
	f, k := d.cur.folded[d.pos], d.cur.keys[d.pos]
	d.pos++
	return f, k, nil
}

// stop ends the goroutine and waits for it.
func (d *nameDeriver) stop() {
	d.cancel()
	<-d.done
}

// wordFolder computes antq.Fold word by word with a cache: Vietnamese has a
// few thousand syllables, so nearly every word of a large file is folded
// once. Fold works on each character and its combining marks and collapses
// white space, so folding the words of a name one by one and joining them
// with single spaces gives the same text (TestWordFolderMatchesFold).
type wordFolder struct {
	words map[string]string
	buf   strings.Builder
}

func (f *wordFolder) fold(s string) string {
	if f.words == nil {
		f.words = make(map[string]string, 8192)
	}
	f.buf.Reset()
	for w := range strings.FieldsSeq(s) {
		fw, ok := f.words[w]
		if !ok {
			fw = antq.Fold(w)
			if len(f.words) >= 100_000 {
				clear(f.words)
			}
			f.words[w] = fw
		}
		if fw == "" {
			continue
		}
		if f.buf.Len() > 0 {
			f.buf.WriteByte(' ')
		}
		f.buf.WriteString(fw)
	}
	return f.buf.String()
}
