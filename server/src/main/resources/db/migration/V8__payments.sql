-- Credit purchases through a payment provider (Stripe Checkout), and the provider events that settled them.
-- A purchase row is written before the provider is asked for a checkout; its id is the idempotency key of that
-- request and travels in the session's metadata. Credits are BIGINT nanocredits (1 credit = 10^9), amounts are in
-- the currency's smallest unit.

CREATE TABLE payment_checkouts (
    id             TEXT PRIMARY KEY,
    provider       TEXT NOT NULL,
    session_id     TEXT,
    user_id        TEXT NOT NULL REFERENCES users (id),
    credits_nanos  BIGINT NOT NULL CHECK (credits_nanos > 0),
    amount_minor   BIGINT NOT NULL CHECK (amount_minor > 0),
    currency       TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('creating', 'open', 'awaiting_payment', 'granting', 'granted',
                                                   'payment_failed', 'expired', 'error')),
    -- who is booking the credits right now (a random token per attempt) and since when; a claim older than the
    -- lease is taken over, so a crash mid-booking never strands a paid purchase
    claim_token    TEXT,
    claimed_at     BIGINT,
    granted_event  TEXT,
    error          TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (provider, session_id)
);
CREATE INDEX payment_checkouts_user ON payment_checkouts (user_id, created_at);

-- One row per provider event about a checkout session, however often it was delivered: the primary key makes
-- repeated deliveries of one event a single row.
CREATE TABLE payment_events (
    provider     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    type         TEXT NOT NULL,
    session_id   TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('received', 'granted', 'already_granted', 'awaiting_payment',
                                                  'payment_failed', 'expired', 'unknown_session', 'mismatch')),
    detail       TEXT,
    received_at  BIGINT NOT NULL,
    settled_at   BIGINT,
    PRIMARY KEY (provider, event_id)
);
CREATE INDEX payment_events_session ON payment_events (provider, session_id);
