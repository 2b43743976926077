package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
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

// numberTree numbers in pre-order the tree of units ids (by index),
// children[i] the indexes of unit i's children in the order they are
// numbered, from the given roots; hash names the tree as given (every
// unit's id and its parent's, in index order: the same tree given in
// another order is numbered again, which is only a cost). ok is false when
// some unit is not reached from a root (a cycle).
func numberTree(ids []int64, children [][]int32, roots []int32) (_ *treeOrder, ok bool) {
	n := len(ids)
	parent := make([]int64, n)
	for i, cs := range children {
		for _, c := range cs {
			parent[c] = ids[i]
		}
	}
	h := sha256.New()
	buf := make([]byte, 0, 16*4096)
	for i := range ids {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(ids[i]))
		buf = binary.LittleEndian.AppendUint64(buf, uint64(parent[i]))
		if len(buf) == cap(buf) {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	o := &treeOrder{ids: ids, pre: make([]int64, n), end: make([]int64, n), hash: hex.EncodeToString(h.Sum(nil))}
	numbered := make([]bool, n)
	var counter int64
	type frame struct{ i, next int32 }
	for _, r := range roots {
		if numbered[r] {
			continue
		}
		numbered[r], o.pre[r] = true, counter
		counter++
		stack := []frame{{r, 0}}
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if int(top.next) == len(children[top.i]) {
				o.end[top.i] = counter - 1
				stack = stack[:len(stack)-1]
				continue
			}
			c := children[top.i][top.next]
			top.next++
			if numbered[c] {
				return o, false // two parents: not a tree
			}
			numbered[c], o.pre[c] = true, counter
			counter++
			stack = append(stack, frame{c, 0})
		}
	}
	return o, counter == int64(n)
}

// numberParents is numberTree of units given with their parents' ids (0,
// or an id not among them, for a root), children in the order given.
func numberParents(ids, parents []int64) (*treeOrder, bool) {
	pos := make(map[int64]int32, len(ids))
	for i, id := range ids {
		pos[id] = int32(i)
	}
	children := make([][]int32, len(ids))
	var roots []int32
	for i, p := range parents {
		j, has := pos[p]
		if p == 0 || !has {
			roots = append(roots, int32(i))
			continue
		}
		children[j] = append(children[j], int32(i))
	}
	return numberTree(ids, children, roots)
}

// writeTreeOrder stores the plan's tree numbered (o, ok from numberTree)
// unless the numbering stored is of the same tree.
func (db *DB) writeTreeOrder(ctx context.Context, tx *Tx, planID string, o *treeOrder, ok bool) error {
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
	children := make([][]int32, len(tree))
	for i := range tree {
		ids[i], children[i] = tree[i].id, tree[i].children
	}
	var roots []int32
	if len(tree) > 0 {
		roots = []int32{0}
	}
	o, ok := numberTree(ids, children, roots)
	return db.writeTreeOrder(ctx, tx, planID, o, ok)
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
		o, ok := numberParents(ids, parents)
		if err := tx.db.writeTreeOrder(ctx, tx, planID, o, ok); err != nil {
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
