package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"slices"
)

// A plan's built tree numbered in pre-order (plan_tree_order): a unit's
// subtree is the units whose pre lies in its pre .. pre_end, one range of
// the index plan_tree_order_pre instead of a recursive walk of unit_status.
// The build and the rebuild number the tree when it differs from the one
// numbered (plan_tree_numbered.tree_hash); a move deletes the plan's
// plan_tree_numbered row (the numbering no longer holds), and every read
// walks the tree again until the next build.

// treeOrder is a tree numbered in pre-order: for the unit ids[i], pre[i]
// and end[i] (the largest pre of its subtree).
type treeOrder struct {
	ids, pre, end []int64
	hash          string
}

// numberTree numbers the tree given as parallel slices of unit ids and
// their parents' (0 for the root), children in the order of their ids, so
// the same tree always gets the same numbers; hash names the tree (its
// sorted (unit, parent) pairs). Units that no walk from a root reaches (a
// cycle) get no number: ok is false.
func numberTree(ids, parents []int64) (_ *treeOrder, ok bool) {
	n := len(ids)
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		switch {
		case ids[a] < ids[b]:
			return -1
		case ids[a] > ids[b]:
			return 1
		}
		return 0
	})
	h := fnv.New128a()
	var buf [16]byte
	pos := make(map[int64]int32, n)
	for _, i := range idx {
		pos[ids[i]] = i
		putInt64(buf[:8], ids[i])
		putInt64(buf[8:], parents[i])
		h.Write(buf[:])
	}
	// Children lists in id order (idx is sorted by id).
	first := make([]int32, n) // first child, -1 none
	next := make([]int32, n)  // next sibling, -1 none
	lastChild := make([]int32, n)
	for i := range first {
		first[i], next[i], lastChild[i] = -1, -1, -1
	}
	var roots []int32
	for _, i := range idx {
		p, has := pos[parents[i]]
		if parents[i] == 0 || !has || p == i {
			roots = append(roots, i)
			continue
		}
		if lastChild[p] < 0 {
			first[p] = i
		} else {
			next[lastChild[p]] = i
		}
		lastChild[p] = i
	}
	o := &treeOrder{ids: make([]int64, n), pre: make([]int64, n), end: make([]int64, n), hash: hex.EncodeToString(h.Sum(nil))}
	seen := 0
	var counter int64
	type frame struct{ i, child int32 }
	for _, r := range roots {
		stack := []frame{{r, first[r]}}
		o.ids[r], o.pre[r] = ids[r], counter
		counter++
		seen++
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.child < 0 {
				o.end[top.i] = counter - 1
				stack = stack[:len(stack)-1]
				continue
			}
			c := top.child
			top.child = next[c]
			o.ids[c], o.pre[c] = ids[c], counter
			counter++
			seen++
			stack = append(stack, frame{c, first[c]})
		}
	}
	return o, seen == n
}

func putInt64(b []byte, v int64) {
	for i := range 8 {
		b[i] = byte(v >> (8 * i))
	}
}

// writeTreeOrder numbers the plan's tree (ids and their parents) unless
// the numbering stored is of the same tree.
func (db *DB) writeTreeOrder(ctx context.Context, tx *Tx, planID string, ids, parents []int64) error {
	o, ok := numberTree(ids, parents)
	var have string
	err := tx.QueryRowContext(ctx, `SELECT tree_hash FROM plan_tree_numbered WHERE plan_id = $1`, planID).Scan(&have)
	if err != nil && !errNoRows(err) {
		return fmt.Errorf("tree order: %w", err)
	}
	if ok && err == nil && have == o.hash {
		return nil
	}
	for _, q := range []string{`DELETE FROM plan_tree_numbered WHERE plan_id = $1`, `DELETE FROM plan_tree_order WHERE plan_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, planID); err != nil {
			return fmt.Errorf("tree order: %w", err)
		}
	}
	if !ok {
		return nil // not a tree: the reads walk it
	}
	w := db.newBatchInsert(ctx, tx, "plan_tree_order", []string{"plan_id", "unit_id", "pre", "pre_end"}, "")
	for i := range o.ids {
		if err := w.add(planID, o.ids[i], o.pre[i], o.end[i]); err != nil {
			return fmt.Errorf("tree order: %w", err)
		}
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("tree order: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO plan_tree_numbered (plan_id, tree_hash) VALUES ($1, $2)`, planID, o.hash); err != nil {
		return fmt.Errorf("tree order: %w", err)
	}
	return nil
}

// writeTreeOrderOf numbers the tree of a build (loadPlanTree's order).
func (db *DB) writeTreeOrderOf(ctx context.Context, tx *Tx, planID string, tree []treeUnit) error {
	ids := make([]int64, len(tree))
	parents := make([]int64, len(tree))
	for i := range tree {
		ids[i] = tree[i].id
		for _, c := range tree[i].children {
			parents[c] = tree[i].id
		}
	}
	return db.writeTreeOrder(ctx, tx, planID, ids, parents)
}

// forgetTreeOrder marks the plan's numbering stale (its tree changed
// without a build: a move).
func (db *DB) forgetTreeOrder(ctx context.Context, tx *Tx, planID string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM plan_tree_numbered WHERE plan_id = $1`, planID); err != nil {
		return fmt.Errorf("tree order: %w", err)
	}
	return nil
}

// numberBuiltTrees numbers the stored tree (unit_status) of every plan
// built before migration 25.
func numberBuiltTrees(ctx context.Context, tx *Tx) error {
	plans, err := queryColumn[string](ctx, tx, `SELECT DISTINCT plan_id FROM unit_status`)
	if err != nil {
		return fmt.Errorf("tree order: %w", err)
	}
	for _, planID := range plans {
		var ids, parents []int64
		err := queryEach(ctx, tx, "tree order", func(rows *sql.Rows) error {
			var id, parent int64
			if err := rows.Scan(&id, &parent); err != nil {
				return err
			}
			ids, parents = append(ids, id), append(parents, parent)
			return nil
		}, `SELECT unit_id, parent_id FROM unit_status WHERE plan_id = $1`, planID)
		if err != nil {
			return err
		}
		if err := tx.db.writeTreeOrder(ctx, tx, planID, ids, parents); err != nil {
			return err
		}
	}
	return nil
}

// subtreeRange is the range of pre numbers of the unit's subtree in the
// plan's numbering; ok is false when the plan's tree is not numbered (the
// caller walks it).
func (db *DB) subtreeRange(ctx context.Context, q querier, planID string, unitID int64) (lo, hi int64, ok bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT o.pre, o.pre_end FROM plan_tree_numbered n JOIN plan_tree_order o ON o.plan_id = n.plan_id AND o.unit_id = $2
WHERE n.plan_id = $1`, planID, unitID).Scan(&lo, &hi)
	if errNoRows(err) {
		return 0, 0, false, nil
	} else if err != nil {
		return 0, 0, false, fmt.Errorf("subtree range: %w", err)
	}
	return lo, hi, true, nil
}
