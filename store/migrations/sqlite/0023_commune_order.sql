-- Issue 18: the lists of communes the inbox, the dossier list and the
-- failing lists offer as a filter read the communes in the tree's order
-- from this partial index instead of scanning every unit (nation scale,
-- SQLite: the inbox page 270 ms → 70–100 ms). Partial, so that no other
-- query on kind or on the order is drawn to it.
CREATE INDEX units_commune_order ON units (sort_key, code, valid_from DESC) WHERE kind = 'commune';
