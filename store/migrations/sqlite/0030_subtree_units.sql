-- Issue 18: the stored counts of a unit with children count its subtree's
-- units by kind (indicator "units"), so the dashboard says of how many units
-- a denominator is part without walking the subtree. Every plan is built
-- again on its next read, with those counts.
DELETE FROM plan_builds;
