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
    dataset      VARCHAR NOT NULL,      -- disputes | dispute_summaries | documents | document_summaries | training | staff
    town         VARCHAR NOT NULL,
    header_map   VARCHAR,               -- JSON: raw header -> field
    rows_loaded  INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    warnings     INTEGER NOT NULL,
    first_date   DATE,
    last_date    DATE
);

CREATE TABLE IF NOT EXISTS disputes (
    load_id        INTEGER NOT NULL,
    town           VARCHAR NOT NULL,
    source_file    VARCHAR NOT NULL,
    sheet          VARCHAR NOT NULL,
    excel_row      INTEGER NOT NULL,
    received_date  DATE NOT NULL,
    village        VARCHAR NOT NULL,    -- normalised, 未填 when blank
    village_raw    VARCHAR,
    category       VARCHAR NOT NULL,    -- national list, 其他 when unknown
    category_raw   VARCHAR,
    agreement_form VARCHAR,             -- written | oral | NULL
    joint          BOOLEAN NOT NULL,
    outcome        VARCHAR NOT NULL,    -- success | failed | pending
    outcome_raw    VARCHAR,
    escalated      BOOLEAN NOT NULL,
    referred       BOOLEAN NOT NULL,
    case_no        VARCHAR,
    parties        VARCHAR,
    mediator       VARCHAR,
    summary        VARCHAR,
    amount         DOUBLE,
    people         INTEGER,
    closed_date    DATE,
    follow_up      VARCHAR,
    note           VARCHAR,
    extra          VARCHAR               -- JSON of unrecognised columns
);

CREATE TABLE IF NOT EXISTS dispute_summaries (
    load_id        INTEGER NOT NULL,
    town           VARCHAR NOT NULL,
    source_file    VARCHAR NOT NULL,
    sheet          VARCHAR NOT NULL,
    excel_row      INTEGER NOT NULL,
    period_id      VARCHAR NOT NULL,    -- 2018 | 2018H1 | 2018H2
    period_start   DATE NOT NULL,
    period_end     DATE NOT NULL,       -- exclusive
    disputes_total INTEGER,
    written        INTEGER,
    oral           INTEGER,
    joint          INTEGER,
    success        INTEGER,
    reported_rate  DOUBLE                -- 调解率 as typed (fraction)
);

CREATE TABLE IF NOT EXISTS documents (
    load_id        INTEGER NOT NULL,
    town           VARCHAR NOT NULL,
    source_file    VARCHAR NOT NULL,
    sheet          VARCHAR NOT NULL,
    excel_row      INTEGER NOT NULL,
    doc_no         VARCHAR,
    title          VARCHAR NOT NULL,
    issued_date    DATE NOT NULL,
    reviewed       BOOLEAN NOT NULL,
    published      BOOLEAN NOT NULL,
    filed          BOOLEAN NOT NULL,
    filed_date     DATE,
    filing_days    INTEGER,             -- calendar days from issue to filing
    filing_working_days INTEGER,        -- working days (China's official calendar); NULL past its last year
    status         VARCHAR,
    extra          VARCHAR
);

CREATE TABLE IF NOT EXISTS document_summaries (
    load_id        INTEGER NOT NULL,
    town           VARCHAR NOT NULL,
    source_file    VARCHAR NOT NULL,
    sheet          VARCHAR NOT NULL,
    excel_row      INTEGER NOT NULL,
    period_id      VARCHAR NOT NULL,
    period_start   DATE NOT NULL,
    period_end     DATE NOT NULL,       -- exclusive
    issued         INTEGER,
    reviewed       INTEGER,
    published      INTEGER,
    filed          INTEGER,
    filed_timely   INTEGER,
    reported_review_rate      DOUBLE,
    reported_publication_rate DOUBLE,
    reported_filing_rate      DOUBLE
);

CREATE TABLE IF NOT EXISTS training (
    load_id        INTEGER NOT NULL,
    town           VARCHAR NOT NULL,
    source_file    VARCHAR NOT NULL,
    sheet          VARCHAR NOT NULL,
    excel_row      INTEGER NOT NULL,
    session_date   DATE NOT NULL,
    topic          VARCHAR,
    kind           VARCHAR NOT NULL,    -- 会前学法 | 中心组学法 | 依法行政专题学习会 | 专题讲座 | 执法培训 | 调解员培训 | 线上学法 | 其他
    hours          DOUBLE,
    name           VARCHAR,             -- NULL on a session row with an attendee count
    unit           VARCHAR,
    is_enforcement BOOLEAN,
    attendees      INTEGER,
    extra          VARCHAR
);

CREATE TABLE IF NOT EXISTS staff (
    load_id          INTEGER NOT NULL,
    town             VARCHAR NOT NULL,
    source_file      VARCHAR NOT NULL,
    sheet            VARCHAR NOT NULL,
    excel_row        INTEGER NOT NULL,
    roster_year      INTEGER,           -- year the roster describes; NULL = applies to every year
    name             VARCHAR NOT NULL,
    unit             VARCHAR,
    is_enforcement   BOOLEAN NOT NULL,
    cert_no          VARCHAR,
    cert_valid_until DATE,
    on_duty          BOOLEAN NOT NULL,
    extra            VARCHAR
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
    written    BIGINT NOT NULL,
    oral       BIGINT NOT NULL,
    joint      BIGINT NOT NULL,
    pending    BIGINT NOT NULL,
    success    BIGINT NOT NULL,
    failed     BIGINT NOT NULL,
    escalated  BIGINT NOT NULL,
    referred   BIGINT NOT NULL,         -- failed and referred
    first_day  DATE NOT NULL,
    last_day   DATE NOT NULL
);

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
    escalated BIGINT NOT NULL
);

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
    hours            DOUBLE NOT NULL,
    trained          BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS agg_officers_span (
    first_year INTEGER NOT NULL,
    last_year  INTEGER NOT NULL
);

CREATE OR REPLACE VIEW active_loads AS SELECT * FROM loads WHERE status = 'active';
CREATE OR REPLACE VIEW v_disputes AS SELECT t.* FROM disputes t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_dispute_summaries AS SELECT t.* FROM dispute_summaries t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_documents AS SELECT t.* FROM documents t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_document_summaries AS SELECT t.* FROM document_summaries t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_training AS SELECT t.* FROM training t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_staff AS SELECT t.* FROM staff t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_rejects AS SELECT t.* FROM rejects t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_warnings AS SELECT t.* FROM warnings t JOIN active_loads USING (load_id);
