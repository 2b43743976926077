-- Issue 18: a unit's stored counts (about 90 rows: indicator × kind) are
-- read together by every indicators read. SQLite keeps them in key order
-- (WITHOUT ROWID, the same migration there); here the table is rewritten
-- once in the key's order, so a unit's rows, scattered by the first build,
-- sit on adjacent pages.
CLUSTER indicator_counts USING indicator_counts_pkey;
