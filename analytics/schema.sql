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
    dataset      VARCHAR NOT NULL,      -- disputes | dispute_summaries | documents | document_summaries | training | staff | cases | disclosures | legality_reviews | events | work_summaries
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

-- 行政复议和行政应诉台账: one row per case against the town (reconsideration or litigation).
CREATE TABLE IF NOT EXISTS cases (
    load_id        INTEGER NOT NULL,
    town           VARCHAR NOT NULL,
    source_file    VARCHAR NOT NULL,
    sheet          VARCHAR NOT NULL,
    excel_row      INTEGER NOT NULL,
    case_no        VARCHAR,
    case_type      VARCHAR NOT NULL,    -- reconsideration | litigation
    instance       VARCHAR,             -- litigation: first | appeal | retrial; NULL for reconsideration
    received_date  DATE NOT NULL,       -- 收案/立案日期
    applicant      VARCHAR,             -- 申请人/原告
    respondent     VARCHAR,             -- 被申请人/被告
    cause          VARCHAR,             -- 案由
    authority      VARCHAR,             -- 审理机关 (复议机关 or court)
    hearing_date   DATE,                -- 开庭日期
    hearing_held   BOOLEAN NOT NULL,    -- a hearing date, or whether a head appeared, was written
    head_appeared  BOOLEAN,             -- 负责人是否出庭; NULL when not stated
    head_name      VARCHAR,             -- 出庭负责人
    result         VARCHAR NOT NULL,    -- upheld | dismissed | revoked | altered | declared_unlawful | ordered_to_act | corrected | withdrawn | terminated | pending
    result_raw     VARCHAR,
    closed_date    DATE,
    complied       BOOLEAN,             -- 是否履行生效文书; NULL when none was due
    note           VARCHAR,
    extra          VARCHAR
);

-- 法治工作汇总表: old years' figures of the four registers below, per town and period; NULL = not reported.
CREATE TABLE IF NOT EXISTS work_summaries (
    load_id        INTEGER NOT NULL,
    town           VARCHAR NOT NULL,
    source_file    VARCHAR NOT NULL,
    sheet          VARCHAR NOT NULL,
    excel_row      INTEGER NOT NULL,
    period_id      VARCHAR NOT NULL,    -- 2018 | 2018H1 | 2018H2
    period_start   DATE NOT NULL,
    period_end     DATE NOT NULL,       -- exclusive
    reconsideration            INTEGER,
    reconsideration_decided    INTEGER,
    reconsideration_corrected  INTEGER,
    litigation                 INTEGER,
    hearings                   INTEGER,
    head_appeared              INTEGER,
    first_instance_concluded   INTEGER,
    lost                       INTEGER,
    judgments_due              INTEGER,
    judgments_complied         INTEGER,
    requests                   INTEGER,
    on_time                    INTEGER,
    late                       INTEGER,
    overdue                    INTEGER,
    major_decisions            INTEGER,
    major_reviewed             INTEGER,
    contracts                  INTEGER,
    contracts_reviewed         INTEGER,
    reports                    INTEGER,
    supervised_quarters        INTEGER,
    cleanups                   INTEGER,
    publicity                  INTEGER
);

-- 政府信息公开申请台账 (依申请公开): one row per request.
CREATE TABLE IF NOT EXISTS disclosures (
    load_id         INTEGER NOT NULL,
    town            VARCHAR NOT NULL,
    source_file     VARCHAR NOT NULL,
    sheet           VARCHAR NOT NULL,
    excel_row       INTEGER NOT NULL,
    request_no      VARCHAR,
    received_date   DATE NOT NULL,      -- 收到日期
    applicant_type  VARCHAR,            -- 自然人 | 法人 | 其他组织 (as typed)
    applicant       VARCHAR,
    content         VARCHAR,
    correction_date DATE,               -- 补正日期: the time limit runs from here when set
    start_date      DATE NOT NULL,      -- when the time limit starts: correction_date, else received_date
    extended        BOOLEAN NOT NULL,   -- 是否延期
    reply_date      DATE,               -- 答复日期; NULL while open
    reply_type      VARCHAR,            -- disclosed | partly | refused | not_exist | not_ours | not_processed | other; NULL while open
    reply_type_raw  VARCHAR,
    working_days    INTEGER,            -- working days from start to reply (official calendar); NULL while open or past its years
    note            VARCHAR,
    extra           VARCHAR
);

-- 合法性审查台账: one row per matter reviewed (major decision, contract, other legal matter).
CREATE TABLE IF NOT EXISTS legality_reviews (
    load_id        INTEGER NOT NULL,
    town           VARCHAR NOT NULL,
    source_file    VARCHAR NOT NULL,
    sheet          VARCHAR NOT NULL,
    excel_row      INTEGER NOT NULL,
    matter         VARCHAR NOT NULL,    -- 事项
    matter_kind    VARCHAR NOT NULL,    -- major_decision | contract | other
    matter_kind_raw VARCHAR,
    matter_date    DATE NOT NULL,       -- the period's date: decided, else submitted, else reviewed
    submitted_date DATE,
    reviewed_date  DATE,
    decided_date   DATE,                -- 决策/签订日期
    reviewed       BOOLEAN NOT NULL,
    reviewed_before BOOLEAN NOT NULL,   -- reviewed, and not after the decision or signing
    reviewer       VARCHAR,             -- 法律顾问 | 司法所 | ... as typed
    opinion        VARCHAR,
    adopted        BOOLEAN,             -- 是否采纳; NULL when not stated
    note           VARCHAR,
    extra          VARCHAR
);

-- 工作台账: one row per event of the year's rule-of-law work.
CREATE TABLE IF NOT EXISTS events (
    load_id     INTEGER NOT NULL,
    town        VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    sheet       VARCHAR NOT NULL,
    excel_row   INTEGER NOT NULL,
    event_date  DATE NOT NULL,
    kind        VARCHAR NOT NULL,       -- one of the six kinds, or 其他 (kind_raw keeps what was typed)
    kind_raw    VARCHAR,
    description VARCHAR,                -- 说明
    place       VARCHAR,
    note        VARCHAR,
    extra       VARCHAR
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
CREATE OR REPLACE VIEW v_cases AS SELECT t.* FROM cases t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_disclosures AS SELECT t.* FROM disclosures t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_legality_reviews AS SELECT t.* FROM legality_reviews t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_events AS SELECT t.* FROM events t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_work_summaries AS SELECT t.* FROM work_summaries t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_rejects AS SELECT t.* FROM rejects t JOIN active_loads USING (load_id);
CREATE OR REPLACE VIEW v_warnings AS SELECT t.* FROM warnings t JOIN active_loads USING (load_id);
