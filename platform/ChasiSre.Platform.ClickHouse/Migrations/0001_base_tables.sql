-- Base analytics tables of the pipeline. ${database} is replaced with ClickHouseOptions.Database.
-- Every table starts its ORDER BY with tenant (dashboards and replay filter by tenant first) and
-- carries the ObjectRef of its subject (cluster, tenant, layer, api_version, kind, namespace, name, uid).
-- `payload` keeps the protobuf message as JSON, so columns can be added later from history.
-- Replacing engines absorb Kafka redeliveries (at-least-once) and keep the latest state of
-- compacted topics; query them with FINAL (or argMax) when exact deduplication matters.
-- Statements must stay idempotent (IF NOT EXISTS): ClickHouse has no DDL transactions, so a
-- migration that failed half way is simply run again.

CREATE DATABASE IF NOT EXISTS ${database};

-- chasi.k8s.events.v1: normalized Kubernetes Events, one row per observation of an event.
CREATE TABLE IF NOT EXISTS ${database}.k8s_events
(
    ts              DateTime64(3, 'UTC') COMMENT 'last observed (lastTimestamp, series.lastObservedTime or eventTime)',
    first_ts        DateTime64(3, 'UTC') COMMENT 'first observed (firstTimestamp or eventTime)',
    tenant          LowCardinality(String),
    cluster         LowCardinality(String),
    layer           LowCardinality(String) COMMENT 'HOST | VIRTUAL | BUSINESS',
    api_version     LowCardinality(String),
    kind            LowCardinality(String),
    namespace       LowCardinality(String),
    name            String,
    uid             String COMMENT 'involved object uid',
    twin_cluster    LowCardinality(String) DEFAULT '' COMMENT 'virtual twin of a host object synced by a vCluster',
    twin_namespace  LowCardinality(String) DEFAULT '',
    twin_name       String DEFAULT '',
    event_uid       String,
    type            LowCardinality(String) COMMENT 'Normal | Warning',
    reason          LowCardinality(String),
    message         String,
    source          LowCardinality(String) COMMENT 'reporting component',
    count           UInt32 DEFAULT 1,
    payload         String CODEC(ZSTD(3)),
    ingested_at     DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_reason reason TYPE set(256) GRANULARITY 4,
    INDEX idx_uid uid TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toDate(ts)
ORDER BY (tenant, cluster, namespace, kind, name, ts, event_uid)
TTL toDateTime(ts) + INTERVAL 30 DAY
SETTINGS ttl_only_drop_parts = 1;

-- chasi.signals.v1: detector findings and anomalies about one subject.
CREATE TABLE IF NOT EXISTS ${database}.signals
(
    ts              DateTime64(3, 'UTC'),
    signal_id       String,
    tenant          LowCardinality(String),
    cluster         LowCardinality(String),
    layer           LowCardinality(String),
    api_version     LowCardinality(String),
    kind            LowCardinality(String),
    namespace       LowCardinality(String),
    name            String,
    uid             String,
    detector        LowCardinality(String),
    reason          LowCardinality(String),
    severity        LowCardinality(String) COMMENT 'INFO | WARNING | CRITICAL',
    score           Float64 DEFAULT 0,
    message         String,
    labels          Map(LowCardinality(String), String),
    incident_id     String DEFAULT '' COMMENT 'set once correlated into an incident',
    trace_id        String DEFAULT '',
    payload         String CODEC(ZSTD(3)),
    ingested_at     DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_signal_id signal_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toDate(ts)
ORDER BY (tenant, cluster, detector, namespace, kind, name, ts, signal_id)
TTL toDateTime(ts) + INTERVAL 30 DAY
SETTINGS ttl_only_drop_parts = 1;

-- chasi.incidents.v1 (compacted): candidate incidents, latest version per incident wins.
CREATE TABLE IF NOT EXISTS ${database}.incidents
(
    incident_id     String,
    version         UInt64 COMMENT 'increases with every update of the incident',
    opened_at       DateTime64(3, 'UTC'),
    ts              DateTime64(3, 'UTC') COMMENT 'time of this version',
    resolved_at     Nullable(DateTime64(3, 'UTC')),
    tenant          LowCardinality(String),
    cluster         LowCardinality(String),
    layer           LowCardinality(String),
    api_version     LowCardinality(String),
    kind            LowCardinality(String),
    namespace       LowCardinality(String),
    name            String,
    uid             String,
    status          LowCardinality(String) COMMENT 'OPEN | MITIGATED | RESOLVED | SUPPRESSED',
    severity        LowCardinality(String),
    reason          LowCardinality(String),
    title           String,
    message         String,
    fingerprint     String COMMENT 'correlation/dedupe key',
    signal_ids      Array(String),
    signal_count    UInt32 DEFAULT 0,
    trace_id        String DEFAULT '',
    payload         String CODEC(ZSTD(3)),
    ingested_at     DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_ts ts TYPE minmax GRANULARITY 1,
    INDEX idx_fingerprint fingerprint TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(opened_at)
ORDER BY (tenant, incident_id)
TTL toDateTime(opened_at) + INTERVAL 400 DAY;

-- chasi.diagnoses.v1 (compacted): diagnosis of an incident, latest version per incident wins.
CREATE TABLE IF NOT EXISTS ${database}.diagnoses
(
    incident_id        String,
    diagnosis_id       String,
    version            UInt64,
    incident_opened_at DateTime64(3, 'UTC'),
    ts                 DateTime64(3, 'UTC'),
    tenant             LowCardinality(String),
    cluster            LowCardinality(String),
    layer              LowCardinality(String),
    kind               LowCardinality(String),
    namespace          LowCardinality(String),
    name               String,
    uid                String,
    status             LowCardinality(String) COMMENT 'PENDING | DIAGNOSED | INCONCLUSIVE | FAILED',
    severity           LowCardinality(String),
    root_cause         String,
    confidence         Float32 DEFAULT 0,
    engine             LowCardinality(String) COMMENT 'rules | llm model name',
    evidence_refs      Array(String),
    knowledge_refs     Array(String),
    remediation        String,
    message            String,
    payload            String CODEC(ZSTD(3)),
    ingested_at        DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_ts ts TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(incident_opened_at)
ORDER BY (tenant, incident_id)
TTL toDateTime(incident_opened_at) + INTERVAL 400 DAY;

-- chasi.actions.v1: audit trail of remediation actions, one row per phase.
CREATE TABLE IF NOT EXISTS ${database}.actions
(
    ts              DateTime64(3, 'UTC'),
    action_id       String,
    incident_id     String,
    tenant          LowCardinality(String),
    cluster         LowCardinality(String),
    layer           LowCardinality(String),
    api_version     LowCardinality(String),
    kind            LowCardinality(String),
    namespace       LowCardinality(String),
    name            String,
    uid             String,
    action_type     LowCardinality(String) COMMENT 'restart, scale, rollback, ...',
    phase           LowCardinality(String) COMMENT 'PROPOSED | APPROVED | DENIED | EXECUTING | SUCCEEDED | FAILED',
    actor           String COMMENT 'who approved or executed (user, policy, executor)',
    policy          String DEFAULT '',
    dry_run         Bool DEFAULT false,
    message         String,
    payload         String CODEC(ZSTD(3)),
    ingested_at     DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_incident incident_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (tenant, action_id, phase, ts)
TTL toDateTime(ts) + INTERVAL 730 DAY;
