-- Decisions stay decided (issue 12): a decided recognition or grade is
-- changed only by a new decision, which records the one it replaces.
ALTER TABLE recognitions ADD COLUMN replaced_number TEXT;
ALTER TABLE recognitions ADD COLUMN replaced_date DATE;
ALTER TABLE recognitions ADD COLUMN replaced_issuer TEXT;
ALTER TABLE recognitions ADD COLUMN replaced_title TEXT;
ALTER TABLE grades ADD COLUMN replaced_number TEXT;
ALTER TABLE grades ADD COLUMN replaced_date DATE;
ALTER TABLE grades ADD COLUMN replaced_issuer TEXT;
ALTER TABLE grades ADD COLUMN replaced_title TEXT;
-- A grade that differs from what the rubric gives its score (the bands and
-- gates) carries the reason; rubric_grade is what the rubric gave.
ALTER TABLE grades ADD COLUMN rubric_grade TEXT;
ALTER TABLE grades ADD COLUMN override_reason TEXT;
-- A propaganda total other than the unit's registered size carries a reason.
ALTER TABLE propaganda ADD COLUMN registered_total BIGINT;
ALTER TABLE propaganda ADD COLUMN total_reason TEXT;
-- A model is effective only after an explicit assessment: when, by whom,
-- on what basis.
ALTER TABLE models ADD COLUMN assessed_on DATE;
ALTER TABLE models ADD COLUMN assessed_by TEXT;
ALTER TABLE models ADD COLUMN assessment_basis TEXT;
