-- Approval of facts (issue 12): registrations, propaganda figures, models
-- and incidents go draft -> submitted -> approved (locked) or returned with
-- a reason. Facts recorded before approval existed were entered as the
-- figures of record: they start approved.
ALTER TABLE registrations ADD COLUMN state TEXT NOT NULL DEFAULT 'approved' CHECK (state IN ('draft', 'submitted', 'approved', 'returned'));
ALTER TABLE registrations ADD COLUMN submitted_by TEXT;
ALTER TABLE registrations ADD COLUMN submitted_at TIMESTAMPTZ;
ALTER TABLE registrations ADD COLUMN reviewed_by TEXT;
ALTER TABLE registrations ADD COLUMN reviewed_at TIMESTAMPTZ;
ALTER TABLE registrations ADD COLUMN return_reason TEXT;
ALTER TABLE registrations ADD COLUMN reopen_reason TEXT;
ALTER TABLE registrations ADD COLUMN changed_after_approval BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX registrations_submitted ON registrations (plan_id, state);
ALTER TABLE propaganda ADD COLUMN state TEXT NOT NULL DEFAULT 'approved' CHECK (state IN ('draft', 'submitted', 'approved', 'returned'));
ALTER TABLE propaganda ADD COLUMN submitted_by TEXT;
ALTER TABLE propaganda ADD COLUMN submitted_at TIMESTAMPTZ;
ALTER TABLE propaganda ADD COLUMN reviewed_by TEXT;
ALTER TABLE propaganda ADD COLUMN reviewed_at TIMESTAMPTZ;
ALTER TABLE propaganda ADD COLUMN return_reason TEXT;
ALTER TABLE propaganda ADD COLUMN reopen_reason TEXT;
ALTER TABLE propaganda ADD COLUMN changed_after_approval BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX propaganda_submitted ON propaganda (plan_id, state);
ALTER TABLE models ADD COLUMN state TEXT NOT NULL DEFAULT 'approved' CHECK (state IN ('draft', 'submitted', 'approved', 'returned'));
ALTER TABLE models ADD COLUMN submitted_by TEXT;
ALTER TABLE models ADD COLUMN submitted_at TIMESTAMPTZ;
ALTER TABLE models ADD COLUMN reviewed_by TEXT;
ALTER TABLE models ADD COLUMN reviewed_at TIMESTAMPTZ;
ALTER TABLE models ADD COLUMN return_reason TEXT;
ALTER TABLE models ADD COLUMN reopen_reason TEXT;
ALTER TABLE models ADD COLUMN changed_after_approval BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX models_submitted ON models (plan_id, state);
ALTER TABLE incidents ADD COLUMN state TEXT NOT NULL DEFAULT 'approved' CHECK (state IN ('draft', 'submitted', 'approved', 'returned'));
ALTER TABLE incidents ADD COLUMN submitted_by TEXT;
ALTER TABLE incidents ADD COLUMN submitted_at TIMESTAMPTZ;
ALTER TABLE incidents ADD COLUMN reviewed_by TEXT;
ALTER TABLE incidents ADD COLUMN reviewed_at TIMESTAMPTZ;
ALTER TABLE incidents ADD COLUMN return_reason TEXT;
ALTER TABLE incidents ADD COLUMN reopen_reason TEXT;
ALTER TABLE incidents ADD COLUMN changed_after_approval BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX incidents_submitted ON incidents (plan_id, state);
