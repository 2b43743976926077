-- Issue 16: units' sort keys order numbers inside names by value
-- (Khu phố 2 before Khu phố 10). SQL cannot compute a collation key: the
-- keys are recomputed in Go by this migration's step (store/migrate_steps.go,
-- in the same transaction). The statement below only records the step.
UPDATE units SET sort_key = sort_key WHERE 1 = 0;
