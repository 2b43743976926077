-- Units, effective-dated from day one. Dates are ISO text (YYYY-MM-DD).
CREATE TABLE units (
    id               INTEGER PRIMARY KEY,
    code             TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    type_label       TEXT    NOT NULL DEFAULT '',
    name_folded      TEXT    NOT NULL,
    sort_key         BLOB    NOT NULL,
    managing_level   TEXT    NOT NULL DEFAULT '',
    armed_forces     INTEGER NOT NULL DEFAULT 0,
    small_enterprise INTEGER NOT NULL DEFAULT 0,
    primary_school   INTEGER NOT NULL DEFAULT 0,
    valid_from       TEXT    NOT NULL,
    valid_to         TEXT,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX units_code_from ON units (code, valid_from);
CREATE INDEX units_sort ON units (sort_key);

-- Parent links, effective-dated: a move closes one link and opens another.
CREATE TABLE unit_links (
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    parent_id  INTEGER NOT NULL REFERENCES units (id),
    valid_from TEXT    NOT NULL,
    valid_to   TEXT,
    PRIMARY KEY (unit_id, valid_from),
    CHECK (unit_id <> parent_id),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX unit_links_parent ON unit_links (parent_id, valid_from);

-- Dated size snapshots: households for areas and communes, staff and pupils
-- for organisations.
CREATE TABLE unit_sizes (
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    as_of      TEXT    NOT NULL,
    households INTEGER CHECK (households >= 0),
    staff      INTEGER CHECK (staff >= 0),
    pupils     INTEGER CHECK (pupils >= 0),
    PRIMARY KEY (unit_id, as_of)
);

-- Lineage: merge, split, rename, move, abolish. Each event names the units
-- before ('from') and after ('to').
CREATE TABLE lineage_events (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    legal_basis  TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT ''
);
CREATE TABLE lineage_units (
    event_id INTEGER NOT NULL REFERENCES lineage_events (id),
    unit_id  INTEGER NOT NULL REFERENCES units (id),
    role     TEXT    NOT NULL CHECK (role IN ('from', 'to')),
    partial  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, unit_id, role)
);
CREATE INDEX lineage_units_unit ON lineage_units (unit_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT      NOT NULL UNIQUE,
    full_name     TEXT      NOT NULL DEFAULT '',
    password_hash TEXT      NOT NULL,
    role          TEXT      NOT NULL,
    unit_id       INTEGER   NOT NULL REFERENCES units (id),
    disabled      INTEGER   NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);

-- Sessions and API tokens are stored as SHA-256 hashes of the secret.
CREATE TABLE sessions (
    id_hash    TEXT      PRIMARY KEY,
    user_id    INTEGER   NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    seen_at    TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    remote_addr TEXT     NOT NULL DEFAULT '',
    user_agent  TEXT     NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER   NOT NULL REFERENCES users (id),
    name       TEXT      NOT NULL DEFAULT '',
    token_hash TEXT      NOT NULL UNIQUE,
    prefix     TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Append-only audit trail; each row's hash covers the previous row's hash.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    user_id     INTEGER,
    username    TEXT    NOT NULL DEFAULT '',
    remote_addr TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    entity_key  TEXT    NOT NULL DEFAULT '',
    unit_id     INTEGER,
    old_value   TEXT,
    new_value   TEXT,
    reason      TEXT    NOT NULL DEFAULT '',
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_key);
CREATE INDEX audit_log_unit ON audit_log (unit_id);
