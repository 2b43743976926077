package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"antq/store"
	"antq/store/storetest"
)

// schema is what the migrations of one engine produce, in terms both engines
// share: tables, their columns with nullability, indexes by name (the ones
// the migrations name) or by what they cover (the ones constraints imply,
// which each engine names its own way), and foreign keys. Column types are
// left out: they differ by design (INTEGER / BIGINT identity, TEXT / DATE,
// BLOB / BYTEA, …).
type schema struct {
	columns map[string][]string // table → "column NOT NULL" or "column NULL"
	named   map[string]string   // created index name → "table (cols) [UNIQUE] [WHERE]"
	implied map[string][]string // table → sorted "UNIQUE (cols)" of constraint indexes and primary keys
	foreign map[string][]string // table → sorted "(cols) → table (cols)"
}

// TestMigrationsAgree fails when the SQLite and PostgreSQL migrations
// drift apart: a table, column, nullability, index or foreign key that one
// engine has and the other has not.
func TestMigrationsAgree(t *testing.T) {
	if storetest.PostgresURL() == "" {
		if os.Getenv("ANTQ_TEST_REQUIRE_POSTGRES") != "" {
			t.Fatal("ANTQ_TEST_REQUIRE_POSTGRES is set but ANTQ_TEST_POSTGRES is empty")
		}
		t.Skip("set ANTQ_TEST_POSTGRES to compare the SQLite and PostgreSQL schemas")
	}
	ctx := context.Background()
	lite := sqliteSchema(t, ctx, storetest.Open(t, store.SQLite).ReadPool())
	pg := postgresSchema(t, ctx, storetest.Open(t, store.Postgres).ReadPool())
	if len(lite.columns) < 20 {
		t.Fatalf("only %d SQLite tables: the introspection is broken", len(lite.columns))
	}
	for _, table := range union(lite.columns, pg.columns) {
		l, lok := lite.columns[table]
		p, pok := pg.columns[table]
		switch {
		case !pok:
			t.Errorf("table %s: only in SQLite", table)
		case !lok:
			t.Errorf("table %s: only in PostgreSQL", table)
		default:
			diff(t, "table "+table+": column", l, p)
			diff(t, "table "+table+": constraint index", lite.implied[table], pg.implied[table])
			diff(t, "table "+table+": foreign key", lite.foreign[table], pg.foreign[table])
		}
	}
	for _, name := range union(lite.named, pg.named) {
		l, lok := lite.named[name]
		p, pok := pg.named[name]
		switch {
		case !pok:
			t.Errorf("index %s: only in SQLite (%s)", name, l)
		case !lok:
			t.Errorf("index %s: only in PostgreSQL (%s)", name, p)
		case l != p:
			t.Errorf("index %s: SQLite %s, PostgreSQL %s", name, l, p)
		}
	}
}

func union[V any](a, b map[string]V) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// diff reports the entries of two lists that only one engine has (order is
// not compared: ALTER TABLE … ADD COLUMN may place columns differently).
func diff(t *testing.T, what string, lite, pg []string) {
	t.Helper()
	for _, s := range lite {
		if !slices.Contains(pg, s) {
			t.Errorf("%s %s: only in SQLite", what, s)
		}
	}
	for _, s := range pg {
		if !slices.Contains(lite, s) {
			t.Errorf("%s %s: only in PostgreSQL", what, s)
		}
	}
}

func rowsOf(t *testing.T, ctx context.Context, db *sql.DB, query string, args []any, dest ...any) func(yield func() bool) {
	t.Helper()
	return func(yield func() bool) {
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			if !yield() {
				return
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
}

func nullable(notNull bool) string {
	if notNull {
		return "NOT NULL"
	}
	return "NULL"
}

func indexText(table string, cols []string, unique, partial bool) string {
	s := table + " (" + strings.Join(cols, ", ") + ")"
	if unique {
		s += " UNIQUE"
	}
	if partial {
		s += " WHERE …"
	}
	return s
}

func sqliteSchema(t *testing.T, ctx context.Context, db *sql.DB) schema {
	s := schema{columns: map[string][]string{}, named: map[string]string{}, implied: map[string][]string{}, foreign: map[string][]string{}}
	var tables []string
	var name string
	for range rowsOf(t, ctx, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`, nil, &name) {
		tables = append(tables, name)
	}
	for _, table := range tables {
		var col string
		var notNull, pk int
		var pkCols []string
		for range rowsOf(t, ctx, db, `SELECT name, "notnull", pk FROM pragma_table_info($1) ORDER BY cid`, []any{table}, &col, &notNull, &pk) {
			// A primary-key column is never NULL (PostgreSQL says so;
			// SQLite's INTEGER PRIMARY KEY is the rowid).
			s.columns[table] = append(s.columns[table], col+" "+nullable(notNull == 1 || pk > 0))
			if pk > 0 {
				pkCols = append(pkCols, fmt.Sprintf("%d %s", pk, col))
			}
		}
		slices.Sort(pkCols)
		hasPKIndex := false
		var idx, origin string
		var unique, partial int
		type index struct {
			name, origin    string
			unique, partial bool
		}
		var indexes []index
		for range rowsOf(t, ctx, db, `SELECT name, "unique", origin, partial FROM pragma_index_list($1)`, []any{table}, &idx, &unique, &origin, &partial) {
			indexes = append(indexes, index{idx, origin, unique == 1, partial == 1})
		}
		for _, ix := range indexes {
			var cols []string
			var cname sql.NullString
			for range rowsOf(t, ctx, db, `SELECT name FROM pragma_index_info($1) ORDER BY seqno`, []any{ix.name}, &cname) {
				cols = append(cols, cmp(cname.Valid, cname.String, "<expression>"))
			}
			if ix.origin == "c" {
				s.named[ix.name] = indexText(table, cols, ix.unique, ix.partial)
				continue
			}
			hasPKIndex = hasPKIndex || ix.origin == "pk"
			s.implied[table] = append(s.implied[table], "UNIQUE ("+strings.Join(cols, ", ")+")")
		}
		if !hasPKIndex && len(pkCols) > 0 { // INTEGER PRIMARY KEY: the rowid, no index of its own
			var cols []string
			for _, c := range pkCols {
				cols = append(cols, strings.SplitN(c, " ", 2)[1])
			}
			s.implied[table] = append(s.implied[table], "UNIQUE ("+strings.Join(cols, ", ")+")")
		}
		slices.Sort(s.implied[table])
		fks := map[int][]string{}
		var id, seq int
		var ref, from string
		var to sql.NullString // NULL: the referenced table's primary key
		for range rowsOf(t, ctx, db, `SELECT id, seq, "table", "from", "to" FROM pragma_foreign_key_list($1) ORDER BY id, seq`, []any{table}, &id, &seq, &ref, &from, &to) {
			fks[id] = append(fks[id], ref+"\x00"+from+"\x00"+cmp(to.Valid, to.String, fmt.Sprintf("\x01%d", seq)))
		}
		for _, parts := range fks {
			var fromCols, toCols []string
			var refTable string
			for _, p := range parts {
				f := strings.Split(p, "\x00")
				refTable = f[0]
				if strings.HasPrefix(f[2], "\x01") { // the seq-th primary-key column
					var n int
					fmt.Sscan(f[2][1:], &n)
					var pkCol string
					for range rowsOf(t, ctx, db, `SELECT name FROM pragma_table_info($1) WHERE pk = $2`, []any{refTable, n + 1}, &pkCol) {
						f[2] = pkCol
					}
				}
				fromCols, toCols = append(fromCols, f[1]), append(toCols, f[2])
			}
			s.foreign[table] = append(s.foreign[table], "("+strings.Join(fromCols, ", ")+") → "+refTable+" ("+strings.Join(toCols, ", ")+")")
		}
		slices.Sort(s.foreign[table])
	}
	return s
}

func cmp(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}

func postgresSchema(t *testing.T, ctx context.Context, db *sql.DB) schema {
	s := schema{columns: map[string][]string{}, named: map[string]string{}, implied: map[string][]string{}, foreign: map[string][]string{}}
	var table, col, isNullable string
	for range rowsOf(t, ctx, db, `SELECT c.table_name, c.column_name, c.is_nullable FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position`, nil, &table, &col, &isNullable) {
		s.columns[table] = append(s.columns[table], col+" "+nullable(isNullable == "NO"))
	}
	var idx, cols string
	var unique, partial, constraint bool
	for range rowsOf(t, ctx, db, `SELECT tc.relname, ic.relname, ix.indisunique, ix.indpred IS NOT NULL,
       EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid AND k.contype IN ('p', 'u')),
       (SELECT string_agg(COALESCE(a.attname, '<expression>'), ', ' ORDER BY k.ord)
          FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
          LEFT JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = k.attnum AND k.attnum > 0)
FROM pg_index ix
JOIN pg_class ic ON ic.oid = ix.indexrelid
JOIN pg_class tc ON tc.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
WHERE n.nspname = current_schema()`, nil, &table, &idx, &unique, &partial, &constraint, &cols) {
		if constraint {
			s.implied[table] = append(s.implied[table], "UNIQUE ("+cols+")")
		} else {
			s.named[idx] = indexText(table, strings.Split(cols, ", "), unique, partial)
		}
	}
	for k := range s.implied {
		slices.Sort(s.implied[k])
	}
	var ref, fromCols, toCols string
	for range rowsOf(t, ctx, db, `SELECT tc.relname, rc.relname,
       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum)
FROM pg_constraint c
JOIN pg_class tc ON tc.oid = c.conrelid
JOIN pg_class rc ON rc.oid = c.confrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
WHERE c.contype = 'f' AND n.nspname = current_schema()`, nil, &table, &ref, &fromCols, &toCols) {
		s.foreign[table] = append(s.foreign[table], "("+fromCols+") → "+ref+" ("+toCols+")")
	}
	for k := range s.foreign {
		slices.Sort(s.foreign[k])
	}
	return s
}
