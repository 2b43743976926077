-- Plans loaded at run time (antq plan load); embedded plans are not copied here.
CREATE TABLE plans (
    id        TEXT      PRIMARY KEY,
    body      TEXT      NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by TEXT      NOT NULL DEFAULT ''
);

-- Facts per (plan, unit). Document references are kept on the fact itself:
-- number/symbol, date, issuer, title.
CREATE TABLE registrations (
    plan_id       TEXT    NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    registered_on TEXT    NOT NULL,
    doc_number    TEXT, doc_date TEXT, doc_issuer TEXT, doc_title TEXT,
    updated_at    TIMESTAMP NOT NULL,
    updated_by    TEXT    NOT NULL,
    PRIMARY KEY (plan_id, unit_id)
);

CREATE TABLE propaganda (
    plan_id    TEXT    NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    reached    INTEGER NOT NULL CHECK (reached >= 0),
    total      INTEGER NOT NULL CHECK (total > 0),
    as_of      TEXT    NOT NULL,
    doc_number TEXT, doc_date TEXT, doc_issuer TEXT, doc_title TEXT,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT    NOT NULL,
    PRIMARY KEY (plan_id, unit_id),
    CHECK (reached <= total)
);

CREATE TABLE models (
    id         INTEGER PRIMARY KEY,
    plan_id    TEXT    NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('new', 'consolidated', 'maintained')),
    effective  INTEGER NOT NULL,
    started_on TEXT,
    members    INTEGER NOT NULL DEFAULT 0 CHECK (members >= 0),
    doc_number TEXT, doc_date TEXT, doc_issuer TEXT, doc_title TEXT,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT    NOT NULL
);
CREATE INDEX models_plan_unit ON models (plan_id, unit_id);

CREATE TABLE incidents (
    id          INTEGER PRIMARY KEY,
    plan_id     TEXT    NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    occurred_on TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    description TEXT    NOT NULL,
    verified    INTEGER NOT NULL DEFAULT 0,
    doc_number  TEXT, doc_date TEXT, doc_issuer TEXT, doc_title TEXT,
    updated_at  TIMESTAMP NOT NULL,
    updated_by  TEXT    NOT NULL
);
CREATE INDEX incidents_plan_unit ON incidents (plan_id, unit_id);

CREATE TABLE recognitions (
    plan_id    TEXT    NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    result     TEXT    NOT NULL CHECK (result IN ('dat', 'chua_dat')),
    decided_on TEXT    NOT NULL,
    doc_number TEXT, doc_date TEXT, doc_issuer TEXT, doc_title TEXT,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT    NOT NULL,
    PRIMARY KEY (plan_id, unit_id)
);

CREATE TABLE grades (
    plan_id      TEXT    NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    grade        TEXT    NOT NULL CHECK (grade IN ('xuat_sac', 'kha', 'trung_binh', 'yeu')),
    score_tenths INTEGER CHECK (score_tenths BETWEEN 0 AND 1000),
    doc_number   TEXT, doc_date TEXT, doc_issuer TEXT, doc_title TEXT,
    updated_at   TIMESTAMP NOT NULL,
    updated_by   TEXT    NOT NULL,
    PRIMARY KEY (plan_id, unit_id)
);

-- Evidence files are stored once by content (SHA-256) in the data directory;
-- evidence rows attach them to a fact of a unit.
CREATE TABLE files (
    sha256       TEXT      PRIMARY KEY,
    size         INTEGER   NOT NULL,
    content_type TEXT      NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    plan_id     TEXT    NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    fact        TEXT    NOT NULL,
    fact_id     INTEGER NOT NULL DEFAULT 0,
    sha256      TEXT    NOT NULL REFERENCES files (sha256),
    filename    TEXT    NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    uploaded_by TEXT    NOT NULL
);
CREATE INDEX evidence_plan_unit ON evidence (plan_id, unit_id);
CREATE INDEX evidence_sha ON evidence (sha256);
