package store

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"antq"
	"antq/rules"
)

// Group commit of fact writes. Concurrent fact writes (withFact) queue here;
// one of them at a time leads: it takes the queue (up to groupMax writes)
// and runs them one after another in one transaction, each in a savepoint
// of its own, then commits once. Each write keeps everything it had alone —
// its own scope check, version check, audit record (appended in the order
// the writes ran, so the chain stays one chain) and indicator upkeep, its
// own clock reading, its own result: a write that fails is rolled back to
// its savepoint and returns its error, the others commit. A commit that
// fails fails every write of the group. When the leader is done it hands
// the lead to the first write still queued.
//
// The writes of a group share a transaction, so none of them may be cut
// short by its caller's context once it has started (an interrupted SQLite
// statement can roll back the whole transaction; a PostgreSQL connection
// whose query is cancelled is closed): a write whose context has ended
// before its turn is not run, and a started one runs to its end.
//
// What it saves is the per-transaction work: one commit (WAL write; on
// PostgreSQL a WAL flush) and one hold of the audit and plan locks for the
// group instead of one each.

// groupMax bounds the writes of one transaction.
const groupMax = 64

type writeGroup struct {
	mu      sync.Mutex
	queue   []*groupWrite
	leading bool
}

type groupWrite struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	err  error
	lead bool          // woken to lead, not done
	wake chan struct{} // closed when done or asked to lead
}

// inGroupTx runs fn as inTx does, in a transaction it may share with other
// concurrent writes (see above). Within an import's transaction it is
// inTx.
func (db *DB) inGroupTx(ctx context.Context, fn func(tx *Tx) error) error {
	if _, ok := ctx.Value(enclosingTxKey{}).(*importTx); ok {
		return db.inTx(ctx, fn)
	}
	w := &groupWrite{ctx: ctx, fn: fn, wake: make(chan struct{})}
	g := &db.writes
	g.mu.Lock()
	g.queue = append(g.queue, w)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !lead {
		<-w.wake
		if !w.lead {
			return w.err
		}
	}
	// Leading: this write is first in the queue.
	g.mu.Lock()
	n := min(len(g.queue), groupMax)
	batch := append([]*groupWrite(nil), g.queue[:n]...)
	g.queue = append(g.queue[:0], g.queue[n:]...)
	g.mu.Unlock()
	db.commitGroup(batch)
	for _, b := range batch {
		if b != w {
			close(b.wake)
		}
	}
	g.mu.Lock()
	if len(g.queue) > 0 {
		next := g.queue[0]
		next.lead = true
		close(next.wake)
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	return w.err
}

// commitGroup runs the writes of batch in one transaction and sets each
// one's error.
func (db *DB) commitGroup(batch []*groupWrite) {
	ctx := context.WithoutCancel(batch[0].ctx)
	failAll := func(err error) {
		for _, w := range batch {
			if w.err == nil {
				w.err = writeError(err)
			}
		}
	}
	tx, err := db.begin(ctx)
	if err != nil {
		failAll(err)
		return
	}
	defer tx.Rollback()
	tx.noCancel = true
	tx.deferCounts = true
	tx.deferAudit = true
	alone := len(batch) == 1
	// On PostgreSQL a write's savepoint is released with the next one's
	// start, in one round trip (a statement without parameters runs in
	// pgx's simple protocol, which takes several); the last one is
	// released by the commit.
	joined := db.dialect.engine == Postgres
	open := false
	for _, w := range batch {
		if w.err = w.ctx.Err(); w.err != nil {
			continue
		}
		tx.now = db.Now().UTC()
		if alone {
			if err := w.run(tx); err != nil {
				w.err = writeError(err)
				return
			}
			break
		}
		if vc := antq.VersionCheckFrom(w.ctx); vc != nil && vc.Kind != "" {
			// It reads the audit trail (factVersion flushes its own
			// records): the others' go in first, outside its savepoint.
			if err := db.flushAudit(ctx, tx); err != nil {
				failAll(err)
				return
			}
		}
		start := `SAVEPOINT antq_group`
		if open {
			start = `RELEASE SAVEPOINT antq_group; SAVEPOINT antq_group`
		}
		if _, err := tx.ExecContext(ctx, start); err != nil {
			failAll(fmt.Errorf("savepoint: %w", err))
			return
		}
		open = joined
		before := tx.state()
		if err := w.run(tx); err != nil {
			w.err = writeError(err)
			tx.restore(before)
			if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT antq_group`); rerr != nil {
				failAll(fmt.Errorf("rollback to savepoint: %w (after %v)", rerr, err))
				return
			}
		}
		if !joined {
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT antq_group`); err != nil {
				failAll(fmt.Errorf("release savepoint: %w", err))
				return
			}
		}
	}
	if err := db.flushCounts(ctx, tx); err != nil {
		failAll(err)
		return
	}
	if err := db.flushAudit(ctx, tx); err != nil {
		failAll(err)
		return
	}
	if err := tx.Commit(); err != nil {
		failAll(fmt.Errorf("commit: %w", err))
		return
	}
	db.stmts.preparePending(ctx, db)
}

// planIn is db.Plan for a write in q. The writes of a group on SQLite share
// the catalogue the first of them read: no plan is loaded while the group
// holds the one writer, so it is the catalogue each would have read.
func (db *DB) planIn(ctx context.Context, q querier, id string) (*rules.Plan, *rules.Catalog, error) {
	tx, ok := q.(*Tx)
	if !ok || !tx.deferAudit || db.dialect.engine == Postgres {
		return db.Plan(ctx, id)
	}
	if tx.catalog == nil {
		c, err := db.Catalog(ctx)
		if err != nil {
			return nil, nil, err
		}
		tx.catalog = c
	}
	p, err := tx.catalog.Plan(id)
	if err != nil {
		return nil, nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy kế hoạch %q", id)
	}
	return p, tx.catalog, nil
}

// run runs the write in tx. A panic is the write's error (with its stack):
// the leader runs other callers' writes and must hand the lead on.
func (w *groupWrite) run(tx *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in a fact write: %v\n%s", r, debug.Stack())
		}
	}()
	return w.fn(tx)
}

// stmtCtx is the context a statement of tx runs with: in a group, never
// cancelled.
func (tx *Tx) stmtCtx(ctx context.Context) context.Context {
	if tx.noCancel {
		return context.WithoutCancel(ctx)
	}
	return ctx
}
