-- Emulation clusters and blocks (cụm, khối thi đua; issue 14). A cluster is
-- one year's group: its organiser (the unit whose scope manages it, e.g. the
-- province), its head unit for the year (each change recorded in
-- cluster_heads), its pact, its scoring sheet (a versioned file in
-- cluster_sheets) and its dated members. Scores per member and criterion
-- (self and reviewed), the closures of its ranking (a snapshot each) and the
-- meeting's nominations with their votes.
CREATE TABLE cluster_sheets (
    id        TEXT        NOT NULL,
    version   INTEGER     NOT NULL,
    body      TEXT        NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by TEXT        NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE clusters (
    id               INTEGER PRIMARY KEY,
    code             TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    year             INTEGER NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('cum', 'khoi')),
    organiser_id     INTEGER  NOT NULL REFERENCES units (id),
    head_id          INTEGER  REFERENCES units (id),
    sheet_id         TEXT    NOT NULL,
    sheet_version    INTEGER NOT NULL,
    pact_number      TEXT,
    pact_signed_on   TEXT,
    pact_evidence    TEXT,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    FOREIGN KEY (sheet_id, sheet_version) REFERENCES cluster_sheets (id, version),
    UNIQUE (year, code)
);
CREATE INDEX clusters_organiser ON clusters (organiser_id, year);
CREATE INDEX clusters_head ON clusters (head_id, year);

CREATE TABLE cluster_heads (
    id         INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters (id),
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    since      TEXT   NOT NULL,
    reason     TEXT   NOT NULL,
    set_by     TEXT   NOT NULL,
    set_at     TIMESTAMP NOT NULL
);
CREATE INDEX cluster_heads_cluster ON cluster_heads (cluster_id);

CREATE TABLE cluster_members (
    cluster_id INTEGER NOT NULL REFERENCES clusters (id),
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    joined_on  TEXT   NOT NULL,
    left_on    TEXT,
    PRIMARY KEY (cluster_id, unit_id)
);
CREATE INDEX cluster_members_unit ON cluster_members (unit_id);

CREATE TABLE cluster_scores (
    cluster_id      INTEGER NOT NULL REFERENCES clusters (id),
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    criterion       TEXT   NOT NULL,
    self_points     INTEGER,
    self_note       TEXT NOT NULL DEFAULT '',
    self_evidence   TEXT NOT NULL DEFAULT '',
    self_by         TEXT,
    self_at         TIMESTAMP,
    reviewed_points INTEGER,
    reviewed_note   TEXT NOT NULL DEFAULT '',
    reviewed_by     TEXT,
    reviewed_at     TIMESTAMP,
    PRIMARY KEY (cluster_id, unit_id, criterion),
    FOREIGN KEY (cluster_id, unit_id) REFERENCES cluster_members (cluster_id, unit_id)
);

CREATE TABLE cluster_closures (
    id            INTEGER PRIMARY KEY,
    cluster_id    INTEGER NOT NULL REFERENCES clusters (id),
    closed_on     TEXT   NOT NULL,
    closed_by     TEXT   NOT NULL,
    closed_at     TIMESTAMP NOT NULL,
    snapshot      TEXT   NOT NULL,
    reopened_by   TEXT,
    reopened_at   TIMESTAMP,
    reopen_reason TEXT
);
CREATE INDEX cluster_closures_cluster ON cluster_closures (cluster_id);

CREATE TABLE cluster_nominations (
    id         INTEGER PRIMARY KEY,
    cluster_id INTEGER  NOT NULL REFERENCES clusters (id),
    unit_id    INTEGER  NOT NULL REFERENCES units (id),
    award      TEXT    NOT NULL CHECK (award IN ('co_thi_dua', 'bang_khen')),
    meeting_on TEXT    NOT NULL,
    present    INTEGER NOT NULL CHECK (present > 0),
    votes_for  INTEGER NOT NULL CHECK (votes_for >= 0 AND votes_for <= present),
    total      INTEGER NOT NULL,
    rank       INTEGER NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    created_by TEXT    NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (cluster_id, unit_id, award),
    FOREIGN KEY (cluster_id, unit_id) REFERENCES cluster_members (cluster_id, unit_id)
);
