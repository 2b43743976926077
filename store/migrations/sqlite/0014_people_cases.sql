-- People and exemplary cases (issue 15). A person keeps only what awards
-- need (Nghị định 13/2023): name, birth year, gender, unit, role, years of
-- service. A national ID number is never stored, only its keyed hash
-- (HMAC-SHA256 with a key outside the database), unique so that a number
-- can be matched but not listed.
CREATE TABLE people (
    id               INTEGER PRIMARY KEY,
    unit_id          INTEGER NOT NULL REFERENCES units (id),
    full_name        TEXT   NOT NULL,
    birth_year       INTEGER NOT NULL,
    gender           TEXT   NOT NULL CHECK (gender IN ('nam', 'nu')),
    role             TEXT   NOT NULL,
    position         TEXT   NOT NULL DEFAULT '',
    service_years    INTEGER NOT NULL DEFAULT 0 CHECK (service_years >= 0),
    service_as_of    TEXT,
    national_id_hash TEXT UNIQUE,
    created_at       TIMESTAMP NOT NULL,
    created_by       TEXT   NOT NULL
);
CREATE INDEX people_unit ON people (unit_id);

-- An exemplary case: a person, a collective (its unit) or a model. It is
-- published only once reviewed and with the consent recorded.
CREATE TABLE exemplars (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    subject         TEXT   NOT NULL CHECK (subject IN ('person', 'collective', 'model')),
    person_id       INTEGER REFERENCES people (id),
    model_id        INTEGER REFERENCES models (id),
    title           TEXT   NOT NULL,
    deed            TEXT   NOT NULL,
    occurred_on     TEXT   NOT NULL,
    place           TEXT   NOT NULL,
    story           TEXT   NOT NULL,
    source          TEXT   NOT NULL,
    state           TEXT   NOT NULL CHECK (state IN ('reported', 'reviewed', 'returned', 'published', 'withdrawn')),
    reported_by     TEXT   NOT NULL,
    reported_at     TIMESTAMP NOT NULL,
    reviewed_by     TEXT,
    review_note     TEXT,
    reason          TEXT,
    consent_on      TEXT,
    consent_by      TEXT,
    consent_document TEXT,
    consent_name    INTEGER NOT NULL DEFAULT 0,
    consent_birth_year INTEGER NOT NULL DEFAULT 0,
    consent_photos  INTEGER NOT NULL DEFAULT 0,
    published_at    TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL,
    CHECK ((subject = 'person') = (person_id IS NOT NULL)),
    CHECK ((subject = 'model') = (model_id IS NOT NULL)),
    CHECK (state <> 'published' OR (consent_on IS NOT NULL AND published_at IS NOT NULL))
);
CREATE INDEX exemplars_unit ON exemplars (unit_id);
CREATE INDEX exemplars_state ON exemplars (state);

CREATE TABLE exemplar_photos (
    id          INTEGER PRIMARY KEY,
    exemplar_id INTEGER NOT NULL REFERENCES exemplars (id),
    sha256      TEXT   NOT NULL REFERENCES files (sha256),
    filename    TEXT   NOT NULL,
    caption     TEXT   NOT NULL DEFAULT '',
    uploaded_at TIMESTAMP NOT NULL,
    uploaded_by TEXT   NOT NULL
);
CREATE INDEX exemplar_photos_case ON exemplar_photos (exemplar_id);
