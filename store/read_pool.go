package store

import (
	"context"
	"database/sql"
	"sync"
)

// readPool is the pool reads go through. On SQLite its statements are
// prepared once and reused: modernc's driver parses and plans every
// statement that is not prepared, which was 17 % of the CPU of the
// indicators API on the nation demo (its three reads are the same text
// every time). database/sql prepares a cached statement again on each
// connection of the pool the first time it runs there.
//
// Only single DML statements are cached, at most readStmtMax of them: a
// statement with values written inline is a new text each time and, once
// the cache is full, simply runs unprepared. PostgreSQL needs none of it
// (pgx caches prepared statements per connection).
type readPool struct {
	*sql.DB
	cache bool

	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

const readStmtMax = 1000

func newReadPool(p *sql.DB, cache bool) *readPool {
	return &readPool{DB: p, cache: cache, stmts: map[string]*sql.Stmt{}}
}

// stmt returns the prepared statement of query, preparing it the first
// time; nil when query is not cached (then it runs as it is).
func (p *readPool) stmt(ctx context.Context, query string) *sql.Stmt {
	if !p.cache || !cacheable(query) {
		return nil
	}
	p.mu.Lock()
	s, full := p.stmts[query], len(p.stmts) >= readStmtMax
	p.mu.Unlock()
	if s != nil || full {
		return s
	}
	s, err := p.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil // run unprepared: the query reports its own error
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if old := p.stmts[query]; old != nil {
		s.Close()
		return old
	}
	p.stmts[query] = s
	return s
}

func (p *readPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

func (p *readPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, query, args...)
}

// Close closes the prepared statements and the pool.
func (p *readPool) Close() error {
	p.mu.Lock()
	for q, s := range p.stmts {
		s.Close()
		delete(p.stmts, q)
	}
	p.mu.Unlock()
	return p.DB.Close()
}
