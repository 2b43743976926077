package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
)

// The SQLite writer's statements, prepared once. modernc's driver parses and
// plans a statement on every call that is not prepared — measured on the
// nation's maintained fact writes, 40 % of the writer's time went to the
// parser — and keeps a prepared statement's compiled program for reuse.
// A write transaction runs a statement it has seen before through the
// statement prepared on the writer connection (Tx.StmtContext reuses it on
// that connection); a statement not seen yet runs as it is and is prepared
// after the transaction, when the writer connection is free again (with one
// connection, preparing during the transaction would wait for itself).
//
// PostgreSQL needs none of it: pgx caches prepared statements per connection.
//
// Only single DML statements are cached (the writer's queries from Go
// code); the cache is bounded, so statements built with values inline do
// not grow it without end.

const stmtCacheMax = 2000

type stmtCache struct {
	mu      sync.Mutex
	on      bool
	stmts   map[string]*sql.Stmt
	pending map[string]bool
	refused map[string]bool
}

func (c *stmtCache) init() {
	c.stmts, c.pending, c.refused = map[string]*sql.Stmt{}, map[string]bool{}, map[string]bool{}
}

// cacheable reports whether query is one DML statement.
func cacheable(query string) bool {
	q := strings.TrimLeft(query, " \t\n")
	if len(q) < 6 {
		return false
	}
	switch strings.ToUpper(q[:6]) {
	case "SELECT", "INSERT", "UPDATE", "DELETE":
	default:
		if !strings.EqualFold(q[:5], "WITH ") {
			return false
		}
	}
	return !strings.Contains(strings.TrimRight(q, " \t\n;"), ";")
}

// get returns the prepared statement of query, or nil (then noted to be
// prepared after the transaction).
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.on {
		return nil
	}
	if s := c.stmts[query]; s != nil {
		return s
	}
	if !c.refused[query] && len(c.stmts)+len(c.pending) < stmtCacheMax && cacheable(query) {
		c.pending[query] = true
	}
	return nil
}

// preparePending prepares the statements noted since, on the writer; it
// runs outside any transaction.
func (c *stmtCache) preparePending(ctx context.Context, db *DB) {
	c.mu.Lock()
	if len(c.pending) == 0 {
		c.mu.Unlock()
		return
	}
	var queries []string
	for q := range c.pending {
		queries = append(queries, q)
	}
	clear(c.pending)
	c.mu.Unlock()
	ctx = context.WithoutCancel(ctx)
	for _, q := range queries {
		s, err := db.write.PrepareContext(ctx, q)
		c.mu.Lock()
		if err != nil {
			c.refused[q] = true
		} else if c.stmts[q] == nil && c.on {
			c.stmts[q], s = s, nil
		}
		c.mu.Unlock()
		if s != nil {
			s.Close()
		}
	}
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, s := range c.stmts {
		err = errors.Join(err, s.Close())
	}
	c.on = false
	clear(c.stmts)
	return err
}

// ExecContext runs query in the transaction, prepared once (SQLite).
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = tx.stmtCtx(ctx)
	if s := tx.db.stmts.get(query); s != nil && !tx.reading(query) {
		return tx.Tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryRowContext runs query in the transaction, prepared once (SQLite).
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = tx.stmtCtx(ctx)
	if s := tx.db.stmts.get(query); s != nil && !tx.reading(query) {
		return tx.Tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// QueryContext runs query in the transaction, prepared once (SQLite) unless
// the rows of its last run in tx are still open: one prepared statement
// runs one query at a time.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = tx.stmtCtx(ctx)
	if s := tx.db.stmts.get(query); s != nil && !tx.reading(query) {
		rows, err := tx.Tx.StmtContext(ctx, s).QueryContext(ctx, args...)
		if err == nil {
			if tx.open == nil {
				tx.open = map[string]*sql.Rows{}
			}
			tx.open[query] = rows
		}
		return rows, err
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// reading reports whether rows of query's prepared statement are still
// open in tx.
func (tx *Tx) reading(query string) bool {
	last := tx.open[query]
	if last == nil {
		return false
	}
	_, err := last.Columns() // fails once the rows are closed
	return err == nil
}
