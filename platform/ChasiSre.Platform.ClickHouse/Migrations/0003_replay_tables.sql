-- Results of `chasi replay` (cli/ChasiSre.Cli/Operations): the stored raw data of a time window (objects,
-- k8s_events, logs) replayed through the detection topology and, unless --detectors-only, the diagnosis.
-- Kept apart from the production tables, which a replay only reads, so a detector or model change can be
-- judged on history: one row per replay in replays, its incidents and diagnoses keyed by its replay_id and
-- label. Times in the window are the replayed data's; replayed_at is the wall clock of the replay.

-- One row per replay: its window, what it read and how its incidents compare with production's.
CREATE TABLE IF NOT EXISTS ${database}.replays
(
    replay_id       String,
    label           String COMMENT 'the name given with --label (a detector or model version); empty when none',
    replayed_at     DateTime64(3, 'UTC') COMMENT 'when the replay ran',
    window_from     DateTime64(3, 'UTC'),
    window_to       DateTime64(3, 'UTC'),
    detectors_only  Bool COMMENT 'true when no diagnosis ran',
    diagnosis       LowCardinality(String) DEFAULT '' COMMENT 'the LLM provider of the diagnosis (deterministic: rules); empty with detectors_only',
    objects         UInt64 COMMENT 'object versions read, the state at window_from included',
    events          UInt64,
    logs            UInt64,
    incidents       UInt32 COMMENT 'incidents the replay produced',
    matched         UInt32 COMMENT 'replay incidents with a production incident of the same subject and category opened in the window',
    only_replay     UInt32,
    only_production UInt32,
    version         LowCardinality(String) COMMENT 'chasi version that ran the replay'
)
ENGINE = ReplacingMergeTree
ORDER BY (label, replayed_at, replay_id)
TTL toDateTime(replayed_at) + INTERVAL 400 DAY;

-- The incidents a replay produced (latest revision each), with the production incident each matches.
CREATE TABLE IF NOT EXISTS ${database}.replay_incidents
(
    replay_id              String,
    label                  String,
    replayed_at            DateTime64(3, 'UTC'),
    incident_id            String,
    version                UInt64 COMMENT 'Incident.revision',
    opened_at              DateTime64(3, 'UTC'),
    ts                     DateTime64(3, 'UTC') COMMENT 'time of this revision (replay clock)',
    resolved_at            Nullable(DateTime64(3, 'UTC')),
    tenant                 LowCardinality(String),
    tenants                Array(LowCardinality(String)),
    cluster                LowCardinality(String),
    host_cluster           LowCardinality(String),
    host_namespace         LowCardinality(String),
    layer                  LowCardinality(String) COMMENT 'where the cause lives: HOST | VIRTUAL | BUSINESS',
    subject_layer          LowCardinality(String),
    api_version            LowCardinality(String),
    kind                   LowCardinality(String),
    namespace              LowCardinality(String),
    name                   String,
    uid                    String,
    status                 LowCardinality(String) COMMENT 'OPEN | RESOLVED',
    severity               LowCardinality(String),
    category               LowCardinality(String),
    title                  String,
    summary                String,
    fingerprint            String,
    signal_count           UInt32,
    production_incident_id String DEFAULT '' COMMENT 'the production incident of the same subject and category opened in the window; empty when only the replay found it',
    payload                String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (label, replay_id, tenant, incident_id)
TTL toDateTime(replayed_at) + INTERVAL 400 DAY;

-- The diagnosis of each replay incident (absent for a --detectors-only replay).
CREATE TABLE IF NOT EXISTS ${database}.replay_diagnoses
(
    replay_id       String,
    label           String,
    replayed_at     DateTime64(3, 'UTC'),
    incident_id     String,
    version         UInt64 COMMENT 'Diagnosis.incident_revision',
    tenant          LowCardinality(String),
    layer           LowCardinality(String),
    category        LowCardinality(String),
    root_cause      String,
    explanation     String,
    confidence      Float32,
    engine          LowCardinality(String) COMMENT 'rules | llm model name',
    llm_calls       UInt32,
    knowledge_refs  Array(String) COMMENT 'cited knowledge base documents',
    citation_ids    Array(String) COMMENT 'cited chunks',
    remediation     String COMMENT 'remediation titles, one per line',
    payload         String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (label, replay_id, tenant, incident_id)
TTL toDateTime(replayed_at) + INTERVAL 400 DAY;
