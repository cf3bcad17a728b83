-- Portable subset shared by SQLite and PostgreSQL: TEXT ids made in Java, epoch-millis BIGINT times,
-- INTEGER 0/1 flags, JSON as TEXT, CHECK constraints instead of enums.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    display_name  TEXT,
    email         TEXT,
    role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'guest')),
    disabled      INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE access_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    key_hash     TEXT NOT NULL UNIQUE,
    key_hint     TEXT NOT NULL,
    name         TEXT,
    app          TEXT,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX access_keys_user ON access_keys (user_id);

CREATE TABLE providers (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    type         TEXT NOT NULL,
    display_name TEXT,
    base_url     TEXT,
    region       TEXT,
    enabled      INTEGER NOT NULL DEFAULT 1,
    models       TEXT,
    source       TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'config')),
    created_by   TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE provider_credentials (
    id            TEXT PRIMARY KEY,
    provider_id   TEXT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('api_key', 'access_key_pair')),
    sealed_secret TEXT NOT NULL,
    key_version   INTEGER NOT NULL,
    masked        TEXT NOT NULL,
    weight        INTEGER NOT NULL DEFAULT 100,
    enabled       INTEGER NOT NULL DEFAULT 1,
    last_error    TEXT,
    last_error_at BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (provider_id, name)
);

CREATE TABLE model_calls (
    id                  TEXT PRIMARY KEY,
    created_at          BIGINT NOT NULL,
    user_id             TEXT,
    access_key_id       TEXT,
    app_did             TEXT,
    request_id          TEXT,
    endpoint            TEXT NOT NULL,
    type                TEXT NOT NULL CHECK (type IN ('chat', 'embedding', 'image')),
    streamed            INTEGER NOT NULL DEFAULT 0,
    provider            TEXT,
    credential_id       TEXT,
    model_requested     TEXT,
    model_answered      TEXT,
    status              TEXT NOT NULL CHECK (status IN ('success', 'failed', 'cancelled')),
    http_status         INTEGER,
    error               TEXT,
    input_tokens        BIGINT NOT NULL DEFAULT 0,
    output_tokens       BIGINT NOT NULL DEFAULT 0,
    cached_tokens       BIGINT NOT NULL DEFAULT 0,
    reasoning_tokens    BIGINT NOT NULL DEFAULT 0,
    total_tokens        BIGINT NOT NULL DEFAULT 0,
    image_count         INTEGER NOT NULL DEFAULT 0,
    usage_reported      INTEGER NOT NULL DEFAULT 0,
    attempts            INTEGER NOT NULL DEFAULT 1,
    latency_ms          BIGINT NOT NULL,
    ttfb_ms             BIGINT,
    upstream_request_id TEXT
);
CREATE INDEX model_calls_time ON model_calls (created_at);
CREATE INDEX model_calls_user_time ON model_calls (user_id, created_at);
