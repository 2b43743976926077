-- Issue 18: a counter of the unit registry's changes. Every transaction that
-- adds, ends or moves units (import, move, reorganisation) raises it, so a
-- reader can keep what it derived from the tree (the units below a unit, by
-- kind) until the counter moves, on every server sharing the database.
CREATE TABLE registry_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO registry_generation (id, generation) VALUES (1, 0);
