-- Web sign-in: users signed in through an OpenID Connect provider, and browser sessions kept in the database so
-- that a restart does not sign anyone out and several hub nodes share them.

-- One row per (provider, account at that provider): the provider's issuer URL and the ID token's "sub" claim, which
-- the provider promises never to reassign. email is what the provider said at the first sign-in (informational).
CREATE TABLE user_identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    email      TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- A signed-in browser. id_hash is the SHA-256 (base64url) of the cookie value: the cookie itself is never stored,
-- so a copy of the database does not hand out sessions.
CREATE TABLE web_sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
