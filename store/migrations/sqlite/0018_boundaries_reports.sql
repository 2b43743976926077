-- Boundaries (issue 19, maps): the simplified shape of a unit, joined to
-- units by official code and dated like them (a code reused by a later
-- reorganisation gets a new row from its first day).
CREATE TABLE boundaries (
    code       TEXT    NOT NULL,
    valid_from TEXT    NOT NULL,
    valid_to   TEXT,
    name       TEXT    NOT NULL DEFAULT '',
    source     TEXT    NOT NULL DEFAULT '',
    geometry   TEXT    NOT NULL,
    points     INTEGER NOT NULL,
    loaded_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (code, valid_from)
);
-- Year-end and interim reports (issue 19, báo cáo tổng kết / sơ kết): what
-- the officials write; the figures are computed when the report is read.
CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    plan_id     TEXT    NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('tong_ket', 'so_ket')),
    as_of       TEXT    NOT NULL,
    number      TEXT    NOT NULL DEFAULT '',
    place       TEXT    NOT NULL DEFAULT '',
    signed_on   TEXT,
    signer_role TEXT    NOT NULL DEFAULT '',
    signer_name TEXT    NOT NULL DEFAULT '',
    recipients  TEXT    NOT NULL DEFAULT '',
    sections    TEXT    NOT NULL DEFAULT '{}',
    updated_at  TIMESTAMP NOT NULL,
    updated_by  TEXT    NOT NULL,
    UNIQUE (plan_id, unit_id, kind, as_of)
);
