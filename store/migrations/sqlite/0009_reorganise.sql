-- Reorganisation events carry their legal basis (number, date, issuer), and
-- each part of a split its share of the old unit (parts per million; NULL on
-- a whole transfer) or an explicit "not comparable" (comparable = 0).
ALTER TABLE lineage_events ADD COLUMN legal_number TEXT NOT NULL DEFAULT '';
ALTER TABLE lineage_events ADD COLUMN legal_date TEXT;
ALTER TABLE lineage_events ADD COLUMN legal_issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE lineage_units ADD COLUMN share_ppm INTEGER CHECK (share_ppm IS NULL OR (share_ppm > 0 AND share_ppm <= 1000000));
ALTER TABLE lineage_units ADD COLUMN comparable INTEGER NOT NULL DEFAULT 1;
CREATE INDEX lineage_events_on ON lineage_events (effective_on);
