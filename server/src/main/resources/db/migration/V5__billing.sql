-- Credits: exact amounts as BIGINT nanocredits (1 credit = 10^9); rates as decimal strings (credits per token,
-- per image, per second of video), read into BigDecimal, never into floating point.

-- What each call cost, in nanocredits: charged when billing is on, tracked for cost reporting when it is off.
ALTER TABLE model_calls ADD COLUMN credits BIGINT NOT NULL DEFAULT 0;

-- Rates per provider + model + call type. `provider` is a provider name (a rate for that provider only) or a
-- provider type (the default for every provider of that type).
CREATE TABLE model_rates (
    id                TEXT PRIMARY KEY,
    provider          TEXT NOT NULL,
    model             TEXT NOT NULL,
    type              TEXT NOT NULL CHECK (type IN ('chat', 'embedding', 'image', 'video')),
    display_name      TEXT,
    input_rate        TEXT NOT NULL DEFAULT '0',
    output_rate       TEXT NOT NULL DEFAULT '0',
    cache_read_rate   TEXT,
    cache_write_rate  TEXT,
    image_rate        TEXT,
    image_rates       TEXT,
    video_second_rate TEXT,
    unit_costs        TEXT,
    source            TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'catalog')),
    deprecated        INTEGER NOT NULL DEFAULT 0,
    deprecated_reason TEXT,
    deprecated_at     BIGINT,
    metadata          TEXT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (provider, model, type)
);

-- Every change of a rate, before and after (JSON), for the rate history.
CREATE TABLE model_rate_history (
    id          TEXT PRIMARY KEY,
    rate_id     TEXT NOT NULL,
    provider    TEXT NOT NULL,
    model       TEXT NOT NULL,
    type        TEXT NOT NULL,
    change_type TEXT NOT NULL CHECK (change_type IN ('create', 'update', 'manual_update', 'import', 'bulk_margin',
                                                   'deprecate', 'delete')),
    before_json TEXT,
    after_json  TEXT,
    actor       TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX model_rate_history_rate ON model_rate_history (rate_id, created_at);

-- Hub-wide billing settings editable at run time (key -> JSON value); the configuration file gives defaults.
CREATE TABLE billing_settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by TEXT,
    updated_at BIGINT NOT NULL
);

-- One account per user: the balance is the sum of its entries; `held` the sum of its open holds.
CREATE TABLE credit_accounts (
    user_id    TEXT PRIMARY KEY REFERENCES users (id),
    balance    BIGINT NOT NULL DEFAULT 0,
    held       BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- The credit ledger: grants and purchases (positive), charges, expiries and refunds. Grants keep what is left of
-- them in `remaining`, spent oldest-expiry first, so an expiry removes exactly the unspent part.
CREATE TABLE credit_entries (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL CHECK (kind IN ('grant', 'promotion', 'purchase', 'charge', 'refund', 'expiry')),
    amount      BIGINT NOT NULL,
    remaining   BIGINT NOT NULL DEFAULT 0,
    expires_at  BIGINT,
    call_id     TEXT,
    external_id TEXT,
    description TEXT,
    actor       TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX credit_entries_user_time ON credit_entries (user_id, created_at);
-- A call is charged once, however often its record is replayed.
CREATE UNIQUE INDEX credit_entries_charge_once ON credit_entries (call_id) WHERE kind = 'charge';
-- A purchase event or an idempotent grant is credited once.
CREATE UNIQUE INDEX credit_entries_external_once ON credit_entries (external_id) WHERE external_id IS NOT NULL;

-- Credit reserved for calls in flight; released or settled when the call ends, or by recovery after a crash.
CREATE TABLE credit_holds (
    call_id    TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    amount     BIGINT NOT NULL,
    node       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX credit_holds_node ON credit_holds (node);
CREATE INDEX credit_holds_expiry ON credit_holds (expires_at);
-- What a charge spends from: the user's grants with something left.
CREATE INDEX credit_entries_open_grants ON credit_entries (user_id) WHERE remaining > 0;
-- Grants that expire, for the expiry sweep.
CREATE INDEX credit_entries_expiring ON credit_entries (expires_at) WHERE remaining > 0;
