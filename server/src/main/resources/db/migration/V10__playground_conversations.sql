-- The playground's saved chats, one row per conversation, and a small key/value table for hub-wide switches set
-- from the console (the guest playground, for now).

-- messages is a JSON array kept as text: [{role, content, stats?}] where a reply's stats are what the page showed
-- under it (model, tokens, credits, latency). The hub never queries inside it, so it stays opaque to SQL.
CREATE TABLE playground_conversations (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    title         TEXT NOT NULL,
    model         TEXT,
    system_prompt TEXT,
    messages      TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- A user's list, newest first.
CREATE INDEX playground_conversations_user_updated ON playground_conversations (user_id, updated_at);

CREATE TABLE hub_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT,
    updated_at BIGINT NOT NULL
);
