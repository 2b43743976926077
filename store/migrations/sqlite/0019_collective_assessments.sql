-- The year's assessment of a collective of the grass-roots forces (Công an
-- xã, Tổ bảo vệ an ninh, trật tự, ban bảo vệ dân phố) at one of the four
-- levels of HD 01/HD-BCA-V05: who assessed, when, on what basis, and the
-- decision with the one it replaced.
CREATE TABLE collective_assessments (
    plan_id         TEXT    NOT NULL,
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    level           TEXT    NOT NULL CHECK (level IN ('xuat_sac', 'tot', 'hoan_thanh', 'khong_hoan_thanh')),
    assessed_on     TEXT    NOT NULL,
    assessed_by     TEXT    NOT NULL,
    basis           TEXT    NOT NULL,
    replaced_number TEXT, replaced_date TEXT, replaced_issuer TEXT, replaced_title TEXT,
    doc_number      TEXT, doc_date TEXT, doc_issuer TEXT, doc_title TEXT,
    updated_at      TIMESTAMP NOT NULL,
    updated_by      TEXT    NOT NULL,
    PRIMARY KEY (plan_id, unit_id)
);
