-- The plan as written (issue 12): targets count their plan's population
-- (every agency, enterprise and school for staff propaganda and models),
-- and the status masks gain two breakdown bits after the indicators
-- (registration in the first quarter; a commune's own household figure
-- disagreeing with its residential areas'). Stored builds were made with
-- the old reading: drop them, and the next read rebuilds each plan.
DELETE FROM plan_builds;
