-- Issue 18: a plan's built tree (unit_status) numbered in pre-order, so
-- that a unit's subtree is the range pre .. pre_end of plan_tree_order_pre
-- instead of a recursive walk (a province of 22,791 units at nation
-- scale). Written by the build and the rebuild when the tree differs from
-- the one numbered (plan_tree_numbered.tree_hash); a move deletes the
-- plan's plan_tree_numbered row, and the reads walk the tree until the
-- next build numbers it again.
CREATE TABLE plan_tree_order (
    plan_id TEXT    NOT NULL,
    unit_id BIGINT NOT NULL,
    pre     BIGINT NOT NULL,
    pre_end BIGINT NOT NULL,   -- the largest pre of the unit's subtree
    PRIMARY KEY (plan_id, unit_id)
);
CREATE INDEX plan_tree_order_pre ON plan_tree_order (plan_id, pre, unit_id);

CREATE TABLE plan_tree_numbered (
    plan_id   TEXT PRIMARY KEY,
    tree_hash TEXT NOT NULL
);
