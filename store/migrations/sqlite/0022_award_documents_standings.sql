-- Commendation leftovers (issue 15 items 1, 4, 5). A nomination's dossier
-- documents (tờ trình, báo cáo thành tích, biên bản họp hội đồng, other)
-- are uploaded files kept among the evidence files (by SHA-256, in files).
-- A person's standings (prosecuted, compulsory education, disciplinary
-- review, dismissed, betrayal) are dated: from, to (NULL: still open), with
-- the decision or source they come from; eligibility at submission looks
-- at the standings in force on the day.
CREATE TABLE award_documents (
    id            INTEGER PRIMARY KEY,
    nomination_id INTEGER NOT NULL REFERENCES award_nominations (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('proposal', 'achievements', 'minutes', 'other')),
    sha256        TEXT    NOT NULL REFERENCES files (sha256),
    filename      TEXT    NOT NULL,
    uploaded_at   TIMESTAMP NOT NULL,
    uploaded_by   TEXT    NOT NULL
);
CREATE INDEX award_documents_nomination ON award_documents (nomination_id);
CREATE TABLE person_standings (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    standing    TEXT    NOT NULL CHECK (standing IN ('prosecuted', 'compulsory_education', 'disciplinary_review', 'dismissed', 'betrayal')),
    valid_from  TEXT    NOT NULL,
    valid_to    TEXT,
    source      TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    created_by  TEXT    NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX person_standings_person ON person_standings (person_id);
