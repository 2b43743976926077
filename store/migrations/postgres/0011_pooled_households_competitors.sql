-- The pooled household ratio (issue 12): each unit's status keeps the
-- household coverage it is judged on (a commune's own figure, else its
-- residential areas' sum) for the official and the provisional figure, so
-- that the sums over a subtree are maintained on write like the counts.
-- Plan trees are now taken on each unit kind's tree date. Stored builds
-- were made without either: drop them, and the next read rebuilds each plan.
ALTER TABLE unit_status ADD COLUMN hh_reached   BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unit_status ADD COLUMN hh_total     BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unit_status ADD COLUMN hh_reached_p BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unit_status ADD COLUMN hh_total_p   BIGINT NOT NULL DEFAULT 0;
DELETE FROM plan_builds;
-- Who competes (issue 12 item 6): a socio-political organisation funded by
-- the state budget competes as an agency (TT 124's "cơ quan"); an
-- enterprise without legal personality is outside the plan's "đối tượng
-- thi đua" where the plan says so.
ALTER TABLE units ADD COLUMN budget_funded   BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE units ADD COLUMN no_legal_entity BOOLEAN NOT NULL DEFAULT FALSE;
