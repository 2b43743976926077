-- Issue 16: units' sort keys order numbers inside names by value
-- (Khu phố 2 before Khu phố 10); the keys are recomputed in Go by the
-- migration's step (store/migrate_steps.go), as SQL cannot compute a
-- collation key. An account created or reset by an administrator carries a
-- first password its owner must change at the first login.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
