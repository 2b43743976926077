package store

import "fmt"

// The walks of the unit tree, written once. Each returns the WITH RECURSIVE
// clause of a query; start and on are SQL expressions (a parameter such as
// "$1", or a column).

// maxTreeDepth bounds every walk of the tree, in SQL and in Go. Real chains
// are short (nation → province → district → commune → residential area):
// the bound only ends a walk that a corrupt, cyclic link would make endless.
const maxTreeDepth = 16

// withAncestorsOn walks up: up(id, depth) holds the unit start (depth 0)
// and its ancestors through the links in force on day on, nearest first.
func withAncestorsOn(start, on string) string {
	return fmt.Sprintf(`WITH RECURSIVE up(id, depth) AS (
  SELECT CAST(%[1]s AS BIGINT), 0
  UNION ALL
  SELECT l.parent_id, up.depth + 1 FROM unit_links l JOIN up ON l.unit_id = up.id
  WHERE up.depth < %[3]d AND l.valid_from <= %[2]s AND (l.valid_to IS NULL OR l.valid_to >= %[2]s))
`, start, on, maxTreeDepth)
}

// withDescendantsOn walks down: down(id, depth) holds the unit start
// (depth 0) and every unit below it through the links in force on day on.
func withDescendantsOn(start, on string) string {
	return fmt.Sprintf(`WITH RECURSIVE down(id, depth) AS (
  SELECT CAST(%[1]s AS BIGINT), 0
  UNION ALL
  SELECT l.unit_id, down.depth + 1 FROM unit_links l JOIN down ON l.parent_id = down.id
  WHERE down.depth < %[3]d AND l.valid_from <= %[2]s AND (l.valid_to IS NULL OR l.valid_to >= %[2]s))
`, start, on, maxTreeDepth)
}

// withPlanSubtree walks a plan's built tree (unit_status) down: sub(id,
// depth) holds the unit start (depth 0) and every unit below it in the tree
// of plan.
func withPlanSubtree(start, plan string) string {
	return fmt.Sprintf(`WITH RECURSIVE sub(id, depth) AS (
  SELECT CAST(%[1]s AS BIGINT), 0
  UNION ALL
  SELECT us.unit_id, sub.depth + 1 FROM unit_status us JOIN sub ON us.parent_id = sub.id
  WHERE us.plan_id = %[2]s AND sub.depth < %[3]d)
`, start, plan, maxTreeDepth)
}
