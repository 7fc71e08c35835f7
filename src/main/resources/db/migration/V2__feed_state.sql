-- The shared state of replicas (CONNECTOR_STATE_STORE=postgresql): what each feed delivered, its run
-- bookkeeping, and the CrowdSec enrichment's lookups and budget. Quartz's tables come with V1.

CREATE TABLE feed_state (
    feed        TEXT PRIMARY KEY,
    state       JSONB       NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- the IPs last delivered per feed: score, and a time whose meaning is the feed's (see SnapshotEntry)
CREATE TABLE feed_snapshot (
    feed          TEXT     NOT NULL,
    ip            TEXT     NOT NULL,
    score         SMALLINT NOT NULL,
    epoch_second  BIGINT   NOT NULL,
    PRIMARY KEY (feed, ip)
);

-- when each IP was last looked up on CrowdSec
CREATE TABLE enrichment_lookup (
    ip            TEXT   PRIMARY KEY,
    epoch_second  BIGINT NOT NULL
);

CREATE INDEX enrichment_lookup_age ON enrichment_lookup (epoch_second);

-- lookups granted per UTC day and per month, and a stop once CrowdSec says the quota is spent
CREATE TABLE enrichment_budget (
    period      TEXT   PRIMARY KEY,
    used        BIGINT NOT NULL
);

CREATE TABLE enrichment_quota (
    id           SMALLINT PRIMARY KEY CHECK (id = 1),
    spent_until  TIMESTAMPTZ NOT NULL
);
