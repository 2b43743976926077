package store

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"antq"
)

// subtreeCache keeps SubtreeCounts answers for one generation of the unit
// registry (table registry_generation, raised by every transaction that
// adds, ends or moves units). Counting the units below the nation walks
// 600,000 rows; the registry changes a few times a year. A reader reads the
// generation first and computes after it, so an answer is never filed under
// a generation newer than the data it was computed from; a new generation
// empties the cache. The counter lives in the database, so servers sharing
// one see each other's changes.
type subtreeCache struct {
	mu      sync.Mutex
	gen     int64
	entries map[subtreeKey][]antq.KindCount
}

type subtreeKey struct {
	unitID int64
	asOf   antq.Date
}

// subtreeCacheMax bounds the cache; past it the cache starts again empty
// (a unit page per unit and date: thousands in a day at most).
const subtreeCacheMax = 4096

func (c *subtreeCache) get(gen int64, k subtreeKey) ([]antq.KindCount, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return nil, false
	}
	counts, ok := c.entries[k]
	return counts, ok
}

func (c *subtreeCache) put(gen int64, k subtreeKey, counts []antq.KindCount) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen < c.gen {
		return // computed before a change another reader has seen
	}
	if gen > c.gen || c.entries == nil || len(c.entries) >= subtreeCacheMax {
		c.gen, c.entries = gen, map[subtreeKey][]antq.KindCount{}
	}
	c.entries[k] = counts
}

// registryGeneration reads the registry's change counter.
func (db *DB) registryGeneration(ctx context.Context) (int64, error) {
	var gen int64
	if err := db.read.QueryRowContext(ctx, `SELECT generation FROM registry_generation WHERE id = 1`).Scan(&gen); err != nil {
		return 0, fmt.Errorf("registry generation: %w", err)
	}
	return gen, nil
}

// registryChanged raises the registry's change counter in tx: every
// transaction that adds, ends or moves units calls it, so that what was
// derived from the tree is derived again once it commits.
func (db *DB) registryChanged(ctx context.Context, tx *Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE registry_generation SET generation = generation + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("registry generation: %w", err)
	}
	return nil
}

// SubtreeCounts counts the units below the unit with code (not the unit
// itself) by kind, as of asOf (zero: the unit's reference date). Answers are
// kept until the registry changes (subtreeCache).
func (db *DB) SubtreeCounts(ctx context.Context, code string, asOf antq.Date) ([]antq.KindCount, error) {
	gen, err := db.registryGeneration(ctx)
	if err != nil {
		return nil, err
	}
	u, err := db.FindUnitByCode(ctx, code, asOf)
	if err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		asOf = db.unitRefDate(u)
	}
	key := subtreeKey{u.ID, asOf}
	if counts, ok := db.subtree.get(gen, key); ok {
		return slices.Clone(counts), nil
	}
	counts, err := db.countSubtree(ctx, u.ID, asOf)
	if err != nil {
		return nil, err
	}
	db.subtree.put(gen, key, counts)
	return slices.Clone(counts), nil
}

// countSubtree counts the units below unitID by kind, walking the tree.
func (db *DB) countSubtree(ctx context.Context, unitID int64, asOf antq.Date) ([]antq.KindCount, error) {
	rows, err := db.read.QueryContext(ctx, withDescendantsOn("$1", "$2")+`
SELECT u.kind, COUNT(*) FROM down JOIN units u ON u.id = down.id
WHERE down.depth > 0 AND u.valid_from <= $2 AND (u.valid_to IS NULL OR u.valid_to >= $2)
GROUP BY u.kind`, unitID, asOf)
	if err != nil {
		return nil, fmt.Errorf("subtree counts: %w", err)
	}
	defer rows.Close()
	byKind := map[antq.UnitKind]int{}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, fmt.Errorf("subtree counts: %w", err)
		}
		byKind[antq.UnitKind(kind)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subtree counts: %w", err)
	}
	var out []antq.KindCount
	for _, k := range antq.UnitKinds {
		if n := byKind[k]; n > 0 {
			out = append(out, antq.KindCount{Kind: k, Count: n})
		}
	}
	return out, nil
}
