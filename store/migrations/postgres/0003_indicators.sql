-- Indicators maintained on write. A plan build fixes the plan's tree (units
-- in force on the last day of the plan's window under its root unit), stores
-- each unit's own contribution as two bit masks (bit i = rules.Indicators[i]:
-- in the denominator / in the numerator) and, for every unit with children,
-- the rolled-up counts of its subtree per indicator and unit kind.
CREATE TABLE plan_builds (
    plan_id   TEXT      PRIMARY KEY,
    tree_date DATE      NOT NULL,
    units     BIGINT   NOT NULL,
    built_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE unit_status (
    plan_id   TEXT    NOT NULL,
    unit_id   BIGINT NOT NULL,
    parent_id BIGINT NOT NULL,   -- 0 for the plan's root unit
    kind      TEXT    NOT NULL,
    children  BIGINT NOT NULL,
    den_mask  BIGINT NOT NULL,
    num_mask  BIGINT NOT NULL,
    PRIMARY KEY (plan_id, unit_id)
);
CREATE INDEX unit_status_parent ON unit_status (plan_id, parent_id);

CREATE TABLE indicator_counts (
    plan_id   TEXT    NOT NULL,
    unit_id   BIGINT NOT NULL,
    indicator TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    num       BIGINT NOT NULL,
    den       BIGINT NOT NULL,
    PRIMARY KEY (plan_id, unit_id, indicator, kind)
);
