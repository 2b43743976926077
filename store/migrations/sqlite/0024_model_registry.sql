-- The registry of models (issue 15 item 2): a model keeps one identity
-- across plan years — the unit that runs it, its kind, name and start — and
-- each year's model fact links to it. A model may replicate (nhân rộng)
-- another model's identity. Existing models are linked by unit, kind and
-- name: the same model in two years is one identity.
CREATE TABLE model_identities (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    kind          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    started_on    TEXT,
    replicates_id INTEGER REFERENCES model_identities (id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX model_identities_unit ON model_identities (unit_id, kind, name);
CREATE INDEX model_identities_replicates ON model_identities (replicates_id);

ALTER TABLE models ADD COLUMN identity_id INTEGER REFERENCES model_identities (id);
CREATE INDEX models_identity ON models (identity_id, plan_id);

INSERT INTO model_identities (unit_id, kind, name, started_on, created_at)
SELECT unit_id, kind, name, MIN(started_on), MIN(updated_at) FROM models GROUP BY unit_id, kind, name;
UPDATE models SET identity_id = (SELECT i.id FROM model_identities i
  WHERE i.unit_id = models.unit_id AND i.kind = models.kind AND i.name = models.name);
