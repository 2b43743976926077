-- Issue 18: a unit's stored counts (about 90 rows: indicator × kind) are
-- read together by every indicators read, for the unit and each child with
-- children. In a rowid table each row found by the key costs a second
-- search of the table; WITHOUT ROWID keeps the rows in the key's order, so
-- a unit's counts are one range of adjacent rows (the nation's read 5.9 →
-- 3.7 ms, a province of 1,620 children 55 → 36 ms, on the nation demo).
CREATE TABLE indicator_counts_clustered (
    plan_id   TEXT    NOT NULL,
    unit_id   INTEGER NOT NULL,
    indicator TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    num       INTEGER NOT NULL,
    den       INTEGER NOT NULL,
    PRIMARY KEY (plan_id, unit_id, indicator, kind)
) WITHOUT ROWID;
INSERT INTO indicator_counts_clustered (plan_id, unit_id, indicator, kind, num, den)
SELECT plan_id, unit_id, indicator, kind, num, den FROM indicator_counts;
DROP TABLE indicator_counts;
ALTER TABLE indicator_counts_clustered RENAME TO indicator_counts;
