-- Tables and columns the ClickHouse sink (streams/ChasiSre.Streams.Store) writes. Extends 0001
-- without breaking it: new tables for object history and logs, new columns (IF NOT EXISTS) for the
-- vCluster placement (host_cluster, host_namespace), twins and the fields 0001 did not carry, and
-- the TTLs of events and signals brought down to their topics' retention (7 days).
-- ORDER BY keys are the dedup keys: a record the sink writes twice (Kafka redelivery, replay)
-- lands on the same key with the same version, so reads with FINAL see it once.

-- chasi.k8s.objects.v1 (compacted): every version of every object, snapshots and tombstones.
-- The compacted topic keeps only the latest state; this table keeps the history behind it.
CREATE TABLE IF NOT EXISTS ${database}.objects
(
    observed_at         DateTime64(3, 'UTC') COMMENT 'snapshot observed_at, or tombstone deleted_at',
    tenant              LowCardinality(String),
    host_cluster        LowCardinality(String),
    host_namespace      LowCardinality(String) COMMENT 'vCluster control plane namespace on the host; empty on the host',
    cluster             LowCardinality(String),
    layer               LowCardinality(String) COMMENT 'HOST | VIRTUAL | BUSINESS',
    api_version         LowCardinality(String),
    kind                LowCardinality(String),
    namespace           LowCardinality(String),
    name                String,
    uid                 String,
    twin_cluster        LowCardinality(String) DEFAULT '',
    twin_namespace      LowCardinality(String) DEFAULT '',
    twin_name           String DEFAULT '',
    twin_uid            String DEFAULT '',
    resource_version    UInt64 COMMENT 'metadata.resourceVersion as a number (the dedup version)',
    deleted             Bool COMMENT 'true for a tombstone',
    generation          Int64 DEFAULT 0,
    created_at          Nullable(DateTime64(3, 'UTC')),
    labels              Map(LowCardinality(String), String),
    annotations         Map(LowCardinality(String), String),
    owner_kinds         Array(LowCardinality(String)),
    owner_names         Array(String),
    from_list           Bool DEFAULT false,
    object_json_omitted Bool DEFAULT false,
    object_json         String COMMENT 'the object (metadata, spec, status) without secret values; empty for tombstones' CODEC(ZSTD(3)),
    ingested_at         DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_uid uid TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(resource_version)
PARTITION BY toYYYYMM(observed_at)
ORDER BY (tenant, host_cluster, host_namespace, cluster, kind, namespace, name, resource_version, deleted)
TTL toDateTime(observed_at) + INTERVAL 30 DAY
SETTINGS ttl_only_drop_parts = 1;

-- chasi.logs.v1: one row per log line (container or business adapter), after redaction.
CREATE TABLE IF NOT EXISTS ${database}.logs
(
    ts              DateTime64(3, 'UTC'),
    id              String COMMENT 'LogRecord.id: source, container, timestamp, content hash',
    tenant          LowCardinality(String),
    host_cluster    LowCardinality(String),
    host_namespace  LowCardinality(String),
    cluster         LowCardinality(String),
    layer           LowCardinality(String),
    kind            LowCardinality(String),
    namespace       LowCardinality(String),
    name            String COMMENT 'pod or adapter',
    uid             String,
    twin_cluster    LowCardinality(String) DEFAULT '',
    twin_namespace  LowCardinality(String) DEFAULT '',
    twin_name       String DEFAULT '',
    container       LowCardinality(String),
    previous        Bool DEFAULT false COMMENT 'line of the previous (crashed) container',
    severity        LowCardinality(String) COMMENT 'TRACE | DEBUG | INFO | WARN | ERROR | FATAL | UNSPECIFIED',
    message         String CODEC(ZSTD(3)),
    truncated       Bool DEFAULT false,
    attributes      Map(LowCardinality(String), String),
    ingested_at     DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_message message TYPE tokenbf_v1(8192, 3, 0) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toDate(ts)
ORDER BY (tenant, host_cluster, cluster, namespace, name, container, ts, id)
TTL toDateTime(ts) + INTERVAL 3 DAY
SETTINGS ttl_only_drop_parts = 1;

-- k8s_events: placement of the involved object's cluster, the reporting instance and action.
ALTER TABLE ${database}.k8s_events
    ADD COLUMN IF NOT EXISTS host_cluster LowCardinality(String) DEFAULT '' AFTER cluster,
    ADD COLUMN IF NOT EXISTS host_namespace LowCardinality(String) DEFAULT '' AFTER host_cluster,
    ADD COLUMN IF NOT EXISTS reporting_instance String DEFAULT '' AFTER source,
    ADD COLUMN IF NOT EXISTS action LowCardinality(String) DEFAULT '' AFTER reporting_instance;
ALTER TABLE ${database}.k8s_events MODIFY TTL toDateTime(ts) + INTERVAL 7 DAY;

-- signals: placement, twin, category, whether the condition is still active, and where the cause lives.
ALTER TABLE ${database}.signals
    ADD COLUMN IF NOT EXISTS host_cluster LowCardinality(String) DEFAULT '' AFTER cluster,
    ADD COLUMN IF NOT EXISTS host_namespace LowCardinality(String) DEFAULT '' AFTER host_cluster,
    ADD COLUMN IF NOT EXISTS twin_cluster LowCardinality(String) DEFAULT '' AFTER uid,
    ADD COLUMN IF NOT EXISTS twin_namespace LowCardinality(String) DEFAULT '' AFTER twin_cluster,
    ADD COLUMN IF NOT EXISTS twin_name String DEFAULT '' AFTER twin_namespace,
    ADD COLUMN IF NOT EXISTS first_ts DateTime64(3, 'UTC') DEFAULT ts AFTER ts,
    ADD COLUMN IF NOT EXISTS category LowCardinality(String) DEFAULT '' AFTER severity,
    ADD COLUMN IF NOT EXISTS active Bool DEFAULT true AFTER category,
    ADD COLUMN IF NOT EXISTS cause_cluster LowCardinality(String) DEFAULT '' AFTER active,
    ADD COLUMN IF NOT EXISTS cause_layer LowCardinality(String) DEFAULT '' AFTER cause_cluster,
    ADD COLUMN IF NOT EXISTS cause_kind LowCardinality(String) DEFAULT '' AFTER cause_layer,
    ADD COLUMN IF NOT EXISTS cause_namespace LowCardinality(String) DEFAULT '' AFTER cause_kind,
    ADD COLUMN IF NOT EXISTS cause_name String DEFAULT '' AFTER cause_namespace;
ALTER TABLE ${database}.signals MODIFY TTL toDateTime(ts) + INTERVAL 7 DAY;

-- incidents (version = Incident.revision): placement, category, every tenant affected, summary.
ALTER TABLE ${database}.incidents
    ADD COLUMN IF NOT EXISTS host_cluster LowCardinality(String) DEFAULT '' AFTER cluster,
    ADD COLUMN IF NOT EXISTS host_namespace LowCardinality(String) DEFAULT '' AFTER host_cluster,
    ADD COLUMN IF NOT EXISTS subject_layer LowCardinality(String) DEFAULT '' AFTER layer,
    ADD COLUMN IF NOT EXISTS twin_cluster LowCardinality(String) DEFAULT '' AFTER uid,
    ADD COLUMN IF NOT EXISTS twin_namespace LowCardinality(String) DEFAULT '' AFTER twin_cluster,
    ADD COLUMN IF NOT EXISTS twin_name String DEFAULT '' AFTER twin_namespace,
    ADD COLUMN IF NOT EXISTS category LowCardinality(String) DEFAULT '' AFTER reason,
    ADD COLUMN IF NOT EXISTS tenants Array(LowCardinality(String)) AFTER category,
    ADD COLUMN IF NOT EXISTS summary String DEFAULT '' AFTER message;

-- diagnoses (version = Diagnosis.incident_revision): the explanation and the citations.
ALTER TABLE ${database}.diagnoses
    ADD COLUMN IF NOT EXISTS explanation String DEFAULT '' AFTER root_cause,
    ADD COLUMN IF NOT EXISTS citation_ids Array(String) AFTER knowledge_refs;
