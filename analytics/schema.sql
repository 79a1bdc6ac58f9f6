-- The warehouse: every stored row knows its load, file, sheet and Excel row.
-- Loads are versions of a source; only rows of active loads are visible through the v_* views.

CREATE TABLE IF NOT EXISTS loads (
    load_id      INTEGER PRIMARY KEY,
    file_name    VARCHAR NOT NULL,      -- base name: a new file of the same name replaces the old version
    file_sha256  VARCHAR NOT NULL,
    file_size    BIGINT,
    loaded_at    TIMESTAMP NOT NULL,
    loaded_by    VARCHAR,
    status       VARCHAR NOT NULL,      -- active | replaced | undone
    replaced_by  INTEGER,               -- load_id of the load that replaced this one
    rows_loaded  INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    warnings     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS load_sheets (
    load_id      INTEGER NOT NULL,
    sheet        VARCHAR NOT NULL,
    dataset      VARCHAR NOT NULL,      -- a table of etl.datasets (disputes, documents, training, …)
    town         VARCHAR NOT NULL,
    header_map   VARCHAR,               -- JSON: raw header -> field
    rows_loaded  INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    warnings     INTEGER NOT NULL,
    first_date   DATE,
    last_date    DATE
);

CREATE TABLE IF NOT EXISTS rejects (
    load_id      INTEGER NOT NULL,
    source_file  VARCHAR NOT NULL,
    sheet        VARCHAR NOT NULL,
    excel_row    INTEGER,
    column_name  VARCHAR,
    value        VARCHAR,
    reason       VARCHAR NOT NULL,
    raw_row      VARCHAR               -- JSON of the original cells, to hand the row back for fixing
);

CREATE TABLE IF NOT EXISTS warnings (
    load_id      INTEGER NOT NULL,
    source_file  VARCHAR NOT NULL,
    sheet        VARCHAR NOT NULL,
    excel_row    INTEGER,
    column_name  VARCHAR,
    value        VARCHAR,
    message      VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS header_mappings (
    signature    VARCHAR PRIMARY KEY,   -- the layout's raw headers, joined
    dataset      VARCHAR NOT NULL,
    mapping      VARCHAR NOT NULL,      -- JSON: raw header -> field
    saved_at     TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS saved_queries (
    name       VARCHAR PRIMARY KEY,
    sql        VARCHAR NOT NULL,
    saved_at   TIMESTAMP NOT NULL,
    owner      VARCHAR              -- who saved it: only they or an admin may replace or delete it
);
ALTER TABLE saved_queries ADD COLUMN IF NOT EXISTS owner VARCHAR;
-- the towns of a sheet's rows besides ``town`` (a county's sheet holds several), JSON; NULL for one town
ALTER TABLE load_sheets ADD COLUMN IF NOT EXISTS other_towns VARCHAR;
-- a legality review only submitted, not yet reviewed, decided or signed (etl/datasets/legality_reviews.py);
-- a file written before it has none such (its dataset table is created after this file, when new)
ALTER TABLE IF EXISTS legality_reviews ADD COLUMN IF NOT EXISTS pending BOOLEAN DEFAULT false;
-- the one year the sheet's title names (珠龙镇2024年…台账): a register covers that year, rows or not
ALTER TABLE load_sheets ADD COLUMN IF NOT EXISTS title_year INTEGER;

-- Monthly aggregates of the active ledger rows, per town (analytics/aggregates.py). Rebuilt for the
-- towns a load or undo touches, inside the same write; readers use them only when aggregates_state
-- holds the current version.
CREATE TABLE IF NOT EXISTS aggregates_state (
    version      INTEGER NOT NULL,
    refreshed_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS agg_disputes_month (
    town       VARCHAR NOT NULL,
    month      DATE NOT NULL,           -- first day of the month of received_date
    total      BIGINT NOT NULL,
    written    BIGINT,                  -- NULL: no row of the month states a 调解方式
    oral       BIGINT,
    joint      BIGINT NOT NULL,
    pending    BIGINT NOT NULL,
    success    BIGINT NOT NULL,
    failed     BIGINT NOT NULL,
    escalated  BIGINT,                  -- NULL: a row of the month comes from a sheet with no 激化 column
    referred   BIGINT NOT NULL,         -- failed and referred
    first_day  DATE NOT NULL,
    last_day   DATE NOT NULL
);
-- files written when every dispute ledger's form and escalation counts were taken as known
ALTER TABLE agg_disputes_month ALTER COLUMN written DROP NOT NULL;
ALTER TABLE agg_disputes_month ALTER COLUMN oral DROP NOT NULL;
ALTER TABLE agg_disputes_month ALTER COLUMN escalated DROP NOT NULL;

CREATE TABLE IF NOT EXISTS agg_documents_month (
    town                VARCHAR NOT NULL,
    month               DATE NOT NULL,  -- of issued_date
    filing_days         INTEGER,        -- histogram bucket: the deadline is applied when reading
    filing_working_days INTEGER,
    issued              BIGINT NOT NULL,
    reviewed            BIGINT NOT NULL,
    published           BIGINT NOT NULL,
    filed               BIGINT NOT NULL,
    first_day           DATE NOT NULL,
    last_day            DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS agg_training_quarter (
    town               VARCHAR NOT NULL,
    quarter            DATE NOT NULL,   -- first day of the quarter of session_date (the finest period)
    name               VARCHAR NOT NULL,
    hours              DOUBLE NOT NULL, -- blank hours count 0
    marked_enforcement BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS agg_sessions_month (
    town      VARCHAR NOT NULL,
    month     DATE NOT NULL,
    kind      VARCHAR NOT NULL,
    sessions  BIGINT NOT NULL,          -- distinct (session_date, topic)
    first_day DATE NOT NULL,
    last_day  DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS agg_town_months (
    town      VARCHAR NOT NULL,
    month     DATE NOT NULL,            -- any ledger row: disputes, documents or training sessions
    first_day DATE NOT NULL,
    last_day  DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS agg_villages_quarter (
    town      VARCHAR NOT NULL,
    quarter   DATE NOT NULL,            -- of received_date: every period is whole quarters
    village   VARCHAR,
    total     BIGINT NOT NULL,
    success   BIGINT NOT NULL,
    failed    BIGINT NOT NULL,
    pending   BIGINT NOT NULL,
    escalated BIGINT                    -- NULL: not known for every row (agg_disputes_month)
);
ALTER TABLE agg_villages_quarter ALTER COLUMN escalated DROP NOT NULL;

CREATE TABLE IF NOT EXISTS agg_categories_quarter (
    town     VARCHAR NOT NULL,
    quarter  DATE NOT NULL,
    category VARCHAR,
    total    BIGINT NOT NULL
);

-- Enforcement officers of every year, half-year and quarter from first_year to last_year of
-- agg_officers_span (metrics.OFFICER_ROWS_SQL, stored); periods outside the span are computed
-- on the fly.
CREATE TABLE IF NOT EXISTS agg_officers (
    period           VARCHAR NOT NULL,  -- period id: 2025, 2025H1, 2025Q3
    town             VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    unit             VARCHAR,
    from_roster      BOOLEAN NOT NULL,
    cert_valid_until DATE,
    hours            DOUBLE,            -- NULL with trained: unknown (a town's sessions with head counts only)
    trained          BOOLEAN
);
-- A file written when both were NOT NULL (no-ops on a new table).
ALTER TABLE agg_officers ALTER COLUMN hours DROP NOT NULL;
ALTER TABLE agg_officers ALTER COLUMN trained DROP NOT NULL;

CREATE TABLE IF NOT EXISTS agg_officers_span (
    first_year INTEGER NOT NULL,
    last_year  INTEGER NOT NULL
);

CREATE OR REPLACE VIEW active_loads AS SELECT * FROM loads WHERE status = 'active';
CREATE OR REPLACE VIEW v_rejects AS SELECT t.* FROM rejects t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_warnings AS SELECT t.* FROM warnings t JOIN active_loads USING (load_id);
