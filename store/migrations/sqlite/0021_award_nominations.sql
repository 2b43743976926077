-- Commendation from nomination to decision (issue 15 item 5): a person or
-- a unit nominated for a form of the award catalogue in a plan year by a
-- nominating unit, with its dossier (tờ trình, báo cáo thành tích, the
-- council's minutes with its votes) and, where the form requires it, the
-- period of public disclosure. draft → submitted (eligibility checked) →
-- decided (the authority's decision locks it) or refused; a decided award
-- may be cancelled with the reason and what is recovered (Luật TĐKT 2022).
CREATE TABLE award_nominations (
    id                  INTEGER PRIMARY KEY,
    plan_id             TEXT    NOT NULL,
    year                INTEGER NOT NULL,
    form_code           TEXT    NOT NULL,
    recipient           TEXT    NOT NULL CHECK (recipient IN ('individual', 'collective')),
    unit_id             INTEGER NOT NULL REFERENCES units (id),
    person_id           INTEGER REFERENCES people (id),
    nominating_unit_id  INTEGER NOT NULL REFERENCES units (id),
    reasons             TEXT    NOT NULL,
    achievements        TEXT    NOT NULL DEFAULT '',
    proposal_number     TEXT    NOT NULL DEFAULT '',
    proposal_date       TEXT,
    council_on          TEXT,
    votes_for           INTEGER NOT NULL DEFAULT 0,
    votes_against       INTEGER NOT NULL DEFAULT 0,
    votes_total         INTEGER NOT NULL DEFAULT 0,
    disclosed_from      TEXT,
    disclosed_to        TEXT,
    state               TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'decided', 'refused', 'cancelled')),
    decision_number     TEXT,
    decision_date       TEXT,
    decision_authority  TEXT,
    reason              TEXT,
    recovery            TEXT,
    cancelled_on        TEXT,
    created_by          TEXT    NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_by          TEXT    NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX award_nominations_unit ON award_nominations (unit_id);
CREATE INDEX award_nominations_person ON award_nominations (person_id);
CREATE INDEX award_nominations_plan ON award_nominations (plan_id, state);
