-- Year-end dossiers: recognition under TT 124 and grading under QĐ 510.
CREATE TABLE dossiers (
    id              INTEGER PRIMARY KEY,
    plan_id         TEXT    NOT NULL,
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('recognition', 'grading')),
    state           TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'reviewed', 'decided')),
    result          TEXT,                      -- dat / chua_dat, or the grade
    override_reason TEXT    NOT NULL DEFAULT '',
    return_reason   TEXT    NOT NULL DEFAULT '',
    decision_number TEXT,
    decision_date   TEXT,
    authority       TEXT,
    authority_label TEXT,
    decided_late    INTEGER NOT NULL DEFAULT 0,
    amended         INTEGER NOT NULL DEFAULT 0, -- reopened after a decision
    previous_decision TEXT,
    submitted_at    TIMESTAMP, submitted_by TEXT,
    reviewed_at     TIMESTAMP, reviewed_by  TEXT,
    decided_at      TIMESTAMP, decided_by   TEXT,
    updated_at      TIMESTAMP NOT NULL,
    updated_by      TEXT    NOT NULL,
    UNIQUE (plan_id, unit_id, kind)
);
CREATE INDEX dossiers_state ON dossiers (plan_id, state);

CREATE TABLE dossier_criteria (
    dossier_id      INTEGER NOT NULL REFERENCES dossiers (id),
    criterion_id    TEXT    NOT NULL,
    verdict         TEXT    NOT NULL CHECK (verdict IN ('met', 'not_met', 'unknown')),
    note            TEXT    NOT NULL DEFAULT '',
    override_reason TEXT    NOT NULL DEFAULT '',
    evidence_id     INTEGER,
    PRIMARY KEY (dossier_id, criterion_id)
);

CREATE TABLE dossier_documents (
    dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
    code        TEXT    NOT NULL,
    number      TEXT    NOT NULL DEFAULT '',
    doc_date    TEXT,
    evidence_id INTEGER,
    PRIMARY KEY (dossier_id, code)
);

CREATE TABLE dossier_scores (
    dossier_id      INTEGER NOT NULL REFERENCES dossiers (id),
    item_id         TEXT    NOT NULL,
    self_tenths     INTEGER,
    reviewed_tenths INTEGER,
    note            TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (dossier_id, item_id)
);
