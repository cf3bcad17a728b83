-- Quotas and rate limits, and IP allow/deny rules (global, and per access key).

-- One limit per scope, subject and metric. subject '*' is the default for every user/key/app/model of the scope;
-- a row naming a subject overrides it. limit_value is in the metric's unit: requests, tokens, or nanocredits
-- (1 credit = 1e9) for the credit windows.
CREATE TABLE limits (
    id          TEXT PRIMARY KEY,
    scope       TEXT NOT NULL CHECK (scope IN ('user', 'key', 'app', 'model')),
    subject     TEXT NOT NULL,
    metric      TEXT NOT NULL CHECK (metric IN ('requests_per_minute', 'tokens_per_minute', 'credits_per_day',
                                                 'credits_per_month')),
    limit_value BIGINT NOT NULL CHECK (limit_value >= 0),
    note        TEXT,
    created_by  TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (scope, subject, metric)
);

-- The hub-wide IP rules, applied to every request before anything else.
CREATE TABLE ip_rules (
    id         TEXT PRIMARY KEY,
    action     TEXT NOT NULL CHECK (action IN ('allow', 'deny')),
    cidr       TEXT NOT NULL,
    note       TEXT,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (action, cidr)
);

-- A key's own rules, JSON arrays of networks (NULL: none), checked once the key is identified.
ALTER TABLE access_keys ADD COLUMN ip_allow TEXT;
ALTER TABLE access_keys ADD COLUMN ip_deny TEXT;
