-- A decision is identified by its issuer, number and date (issue 16): the
-- unit whose authority decided (the assessed unit's nearest ancestor at the
-- rule's managing level) is kept with the decision, so two communes' decisions
-- that share a number are never listed as one. Dossiers decided before this
-- migration keep NULL and are told apart by their authority's label.
ALTER TABLE dossiers ADD COLUMN authority_unit_id BIGINT REFERENCES units (id);
CREATE INDEX dossiers_decision ON dossiers (plan_id, authority_unit_id, decision_number);
-- The signature block of the decision (chức vụ, người ký) and, for a unit
-- recognised "đạt", the number of its certificate (Giấy công nhận), counted
-- per issuer and plan.
ALTER TABLE dossiers ADD COLUMN signer_title TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN signer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN certificate_no INTEGER;
-- The indicator masks gain a breakdown (grade.graded: graded units, so the
-- grade distribution shows "Chưa xếp loại" apart from "Yếu"), which moves
-- the provisional and pending channels: every plan's figures are rebuilt
-- from the facts at first use.
DELETE FROM plan_builds;
