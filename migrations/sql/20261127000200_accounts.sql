-- Accounts (one per person across every tenant), their second factor and
-- recovery codes, console sessions, API tokens, failed logins (for
-- throttling shared by every process), and the audit log.
--
-- Secrets never rest in clear: sessions and API tokens are stored as the
-- SHA-256 of the value the client holds, recovery codes likewise, passwords
-- as argon2id PHC strings, TOTP secrets sealed with the platform secret.

CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL CHECK (email <> '' AND email = lower(email)),
    name            TEXT NOT NULL,
    phone           TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    password_hash   TEXT NOT NULL DEFAULT '',
    totp_secret     TEXT NOT NULL DEFAULT '',
    totp_enabled    BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step  BIGINT NOT NULL DEFAULT 0,
    totp_enabled_at TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
--bun:split
-- One-time recovery codes of the second factor; used_at marks a spent code.
CREATE TABLE account_recovery_codes (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    PRIMARY KEY (account_id, code_hash)
);
--bun:split
-- Console sessions. id is the hex SHA-256 of the cookie value. A pending
-- session has passed the password but still owes its second factor.
CREATE TABLE account_sessions (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    pending      BOOLEAN NOT NULL DEFAULT FALSE,
    mfa_passed   BOOLEAN NOT NULL DEFAULT FALSE,
    revoked_at   TIMESTAMPTZ
);
--bun:split
CREATE INDEX account_sessions_account_idx ON account_sessions (account_id, expires_at);
--bun:split
-- API tokens. hash is the hex SHA-256 of the token; prefix its first
-- characters, to tell tokens apart in a list.
CREATE TABLE account_tokens (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
--bun:split
CREATE UNIQUE INDEX account_tokens_hash_key ON account_tokens (hash);
--bun:split
CREATE INDEX account_tokens_account_idx ON account_tokens (account_id);
--bun:split
-- Failed logins, counted per email and per client address over a sliding
-- window. A successful login clears the rows of its email for the account
-- count (account_cleared) but keeps them for the address count.
CREATE TABLE login_failures (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL,
    ip              TEXT NOT NULL,
    account_cleared BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX login_failures_email_idx ON login_failures (email, created_at);
--bun:split
CREATE INDEX login_failures_ip_idx ON login_failures (ip, created_at);
--bun:split
-- The audit log, append-only in the application (platform/audit has no
-- update or delete). tenant_id is NULL for platform-wide events (logins,
-- platform roles); it has no foreign key so the log outlives what it names.
CREATE TABLE audit_events (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT,
    actor_id   TEXT,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '{}',
    ip         TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX audit_events_tenant_idx ON audit_events (tenant_id, created_at, id);
--bun:split
CREATE INDEX audit_events_time_idx ON audit_events (created_at, id);
--bun:split
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, created_at);
