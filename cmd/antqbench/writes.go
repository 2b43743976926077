package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"
)

// The raw transaction floor of the write benchmark: what the engine, through
// the same driver and settings as the store, allows for a transaction of the
// shape a maintained fact write has at its core — the fact upserted, then
// five ancestor counters incremented — from the same number of concurrent
// writers. A maintained write does more (scope check, old value, audit
// record, status, the unit's facts read back); the floor says how far from
// the engine's limit it is.

// floorDepth is the number of ancestor counters a floor transaction bumps.
const floorDepth = 5

// writeFloor runs n floor transactions from writers goroutines on scratch
// tables of the database dsn (created and dropped here) and returns the
// wall time.
func writeFloor(ctx context.Context, dsn string, n, writers int) (time.Duration, error) {
	pg := strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
	var db *sql.DB
	var err error
	if pg {
		db, err = sql.Open("pgx", dsn)
		if err == nil {
			db.SetMaxOpenConns(writers)
			db.SetMaxIdleConns(writers)
		}
	} else {
		// The store's writer: one connection, WAL, synchronous NORMAL,
		// immediate transactions.
		q := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", "cache_size(-32000)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", "immediate")
		db, err = sql.Open("sqlite", "file:"+dsn+"?"+q.Encode())
		if err == nil {
			db.SetMaxOpenConns(1)
		}
	}
	if err != nil {
		return 0, err
	}
	defer db.Close()
	drop := func() {
		db.ExecContext(ctx, `DROP TABLE IF EXISTS bench_floor_facts`)
		db.ExecContext(ctx, `DROP TABLE IF EXISTS bench_floor_counts`)
	}
	drop()
	defer drop()
	for _, s := range []string{
		`CREATE TABLE bench_floor_facts (plan_id TEXT NOT NULL, unit_id BIGINT NOT NULL, reached BIGINT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (plan_id, unit_id))`,
		`CREATE TABLE bench_floor_counts (plan_id TEXT NOT NULL, unit_id BIGINT NOT NULL, indicator TEXT NOT NULL, num BIGINT NOT NULL, PRIMARY KEY (plan_id, unit_id, indicator))`,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return 0, fmt.Errorf("write floor: %w", err)
		}
	}
	var next atomic.Int64
	return parallelTime(n, writers, func() error {
		i := next.Add(1)
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `INSERT INTO bench_floor_facts (plan_id, unit_id, reached, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (plan_id, unit_id) DO UPDATE SET reached = excluded.reached, updated_at = excluded.updated_at`,
			"p", i, i, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
			return err
		}
		// Ancestors shared as a tree's are: the root by every write, the
		// lower levels by fewer.
		for d, id := 0, int64(0); d < floorDepth; d++ {
			id = id*40 + i%int64(1+d*40)
			if _, err := tx.ExecContext(ctx, `INSERT INTO bench_floor_counts (plan_id, unit_id, indicator, num) VALUES ($1, $2, $3, 1)
ON CONFLICT (plan_id, unit_id, indicator) DO UPDATE SET num = bench_floor_counts.num + excluded.num`, "p", int64(d)<<40|id, "registered"); err != nil {
				return err
			}
		}
		return tx.Commit()
	})
}

// startProfile starts a CPU profile into path ("" = none) and returns its
// stop.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
