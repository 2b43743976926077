package store

import "fmt"

// The walks of the unit tree, written once. Each returns the WITH RECURSIVE
// clause of a query; start, on and plan are SQL expressions (a parameter
// such as "$1", or a column).

// maxTreeDepth bounds every walk of the tree, in SQL and in Go. Real chains
// are short (nation → province → district → commune → residential area):
// the bound only ends a walk that a corrupt, cyclic link would make endless.
const maxTreeDepth = 16

// withAncestorsOn walks up: up(id, depth) holds the unit start (depth 0)
// and its ancestors through the links in force on day on, nearest first.
func withAncestorsOn(start, on string) string {
	return withWalk("up", "unit_links", "parent_id", "unit_id", inForceOn("step", on), start)
}

// withDescendantsOn walks down: down(id, depth) holds the unit start
// (depth 0) and every unit below it through the links in force on day on.
func withDescendantsOn(start, on string) string {
	return withWalk("down", "unit_links", "unit_id", "parent_id", inForceOn("step", on), start)
}

// withPlanSubtree walks a plan's built tree (unit_status) down: sub(id,
// depth) holds the unit start (depth 0) and every unit below it in the tree
// of plan.
func withPlanSubtree(start, plan string) string {
	return withWalk("sub", "unit_status", "unit_id", "parent_id", "step.plan_id = "+plan, start)
}

// withWalk is the recursive clause cte(id, depth): start, then every row
// (alias step) of table whose column from is an id already reached,
// stepping to its column to, where cond holds; at most maxTreeDepth steps.
// The alias is one no query of the store uses, so expressions of the outer
// query (on, plan) keep their meaning inside the walk.
//
// The step is written "cte CROSS JOIN table", which makes SQLite keep the
// walk's rows outside and search the table by its index on from for each:
// with a plain JOIN, SQLite 3.54 scans the table by plan and the walk
// inside, quadratic in the tree (a province's failing list took 1.4 s
// instead of 8 ms). PostgreSQL plans CROSS JOIN … WHERE as the inner join.
func withWalk(cte, table, to, from, cond, start string) string {
	return fmt.Sprintf(`WITH RECURSIVE %[1]s(id, depth) AS (
  SELECT CAST(%[6]s AS BIGINT), 0
  UNION ALL
  SELECT step.%[3]s, %[1]s.depth + 1 FROM %[1]s CROSS JOIN %[2]s step
  WHERE step.%[4]s = %[1]s.id AND %[1]s.depth < %[7]d AND %[5]s)
`, cte, table, to, from, cond, start, maxTreeDepth)
}

// inForceOn is the condition that the row alias (a link, a unit version) is
// in force on day on.
func inForceOn(alias, on string) string {
	return fmt.Sprintf(`%[1]s.valid_from <= %[2]s AND (%[1]s.valid_to IS NULL OR %[1]s.valid_to >= %[2]s)`, alias, on)
}

// withTargetSubtree is withPlanSubtree("$1", plan) for a read of target t
// whose unit id is bound to $1: sub(id, depth) holds the unit and every
// unit below it in the plan's built tree. For the plan's root unit that is
// every row of the plan's unit_status (the tree is built breadth-first from
// the root, and a move keeps a unit inside it), so the rows are read by the
// plan's key instead of walked: the nation's 597,278 units cost a scan, not
// a recursive step per unit. depth is 0 for the unit, 1 below it.
func withTargetSubtree(t *factTarget, plan string) string {
	if t.unit.Code != t.plan.RootUnit {
		return withPlanSubtree("$1", plan)
	}
	return fmt.Sprintf(`WITH sub(id, depth) AS (
  SELECT whole.unit_id, CASE WHEN whole.unit_id = CAST($1 AS BIGINT) THEN 0 ELSE 1 END FROM unit_status whole WHERE whole.plan_id = %s)
`, plan)
}
