#include "store/fleet_migrations.hpp"

#include <array>

namespace certfleet::store {
namespace {

// The fleet's schema (5 on): ACME, nodes and their actions, enrollment tokens and certificate requests,
// admin certificates. Same conventions as migrations.cpp: Unix seconds in 64-bit integers, DER as
// BLOB / BYTEA; a published step is never edited, a new one is appended here.
constexpr std::array<Migration, 6> steps{{
    // ACME (RFC 8555): accounts by key thumbprint, orders with their authorizations and challenges, and
    // redeemed nonces. On PostgreSQL acme_nonces is UNLOGGED: replicas share it to refuse a replayed nonce,
    // and a redemption writes no WAL, so it costs no fsync; its '~epoch' row is how a crash (which empties
    // an UNLOGGED table) is noticed (store/acme_records.hpp, record_nonce_use).
    {5,
     R"sql(
CREATE TABLE acme_accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  authority TEXT NOT NULL REFERENCES authorities(name),
  thumbprint TEXT NOT NULL,
  jwk TEXT NOT NULL,
  contact TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('valid', 'deactivated', 'revoked')),
  created_at INTEGER NOT NULL,
  UNIQUE (authority, thumbprint));
CREATE TABLE acme_orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES acme_accounts(id),
  authority TEXT NOT NULL REFERENCES authorities(name),
  status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'processing', 'valid', 'invalid')),
  identifiers TEXT NOT NULL,
  expires INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  error TEXT NOT NULL,
  certificate_serial TEXT NOT NULL);
CREATE INDEX acme_orders_by_account ON acme_orders(account_id);
CREATE TABLE acme_authorizations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id INTEGER NOT NULL REFERENCES acme_orders(id),
  account_id INTEGER NOT NULL REFERENCES acme_accounts(id),
  identifier TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'valid', 'invalid', 'deactivated', 'expired', 'revoked')),
  expires INTEGER NOT NULL);
CREATE INDEX acme_authorizations_by_order ON acme_authorizations(order_id);
CREATE TABLE acme_challenges (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  authorization_id INTEGER NOT NULL REFERENCES acme_authorizations(id),
  type TEXT NOT NULL,
  token TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'valid', 'invalid')),
  validated_at INTEGER,
  error TEXT NOT NULL);
CREATE INDEX acme_challenges_by_authorization ON acme_challenges(authorization_id);
CREATE TABLE acme_nonces (nonce TEXT PRIMARY KEY, issued_at INTEGER NOT NULL);
INSERT INTO acme_nonces (nonce, issued_at) VALUES ('~epoch', 0);
)sql",
     R"sql(
CREATE TABLE acme_accounts (
  id BIGSERIAL PRIMARY KEY,
  authority TEXT NOT NULL REFERENCES authorities(name),
  thumbprint TEXT NOT NULL,
  jwk TEXT NOT NULL,
  contact TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('valid', 'deactivated', 'revoked')),
  created_at BIGINT NOT NULL,
  UNIQUE (authority, thumbprint));
CREATE TABLE acme_orders (
  id BIGSERIAL PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES acme_accounts(id),
  authority TEXT NOT NULL REFERENCES authorities(name),
  status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'processing', 'valid', 'invalid')),
  identifiers TEXT NOT NULL,
  expires BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  error TEXT NOT NULL,
  certificate_serial TEXT NOT NULL);
CREATE INDEX acme_orders_by_account ON acme_orders(account_id);
CREATE TABLE acme_authorizations (
  id BIGSERIAL PRIMARY KEY,
  order_id BIGINT NOT NULL REFERENCES acme_orders(id),
  account_id BIGINT NOT NULL REFERENCES acme_accounts(id),
  identifier TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'valid', 'invalid', 'deactivated', 'expired', 'revoked')),
  expires BIGINT NOT NULL);
CREATE INDEX acme_authorizations_by_order ON acme_authorizations(order_id);
CREATE TABLE acme_challenges (
  id BIGSERIAL PRIMARY KEY,
  authorization_id BIGINT NOT NULL REFERENCES acme_authorizations(id),
  type TEXT NOT NULL,
  token TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'valid', 'invalid')),
  validated_at BIGINT,
  error TEXT NOT NULL);
CREATE INDEX acme_challenges_by_authorization ON acme_challenges(authorization_id);
CREATE UNLOGGED TABLE acme_nonces (nonce TEXT PRIMARY KEY, issued_at BIGINT NOT NULL);
INSERT INTO acme_nonces (nonce, issued_at) VALUES ('~epoch', 0);
)sql"},
    // Nodes and their actions (seed 001's remote renew): what each node last reported, when it last
    // held the actions long-poll (whether it counts as connected), and the queue of actions for it.
    {6,
     R"sql(
CREATE TABLE nodes (
  authority TEXT NOT NULL REFERENCES authorities(name),
  name TEXT NOT NULL,
  serial TEXT NOT NULL,
  agent_version TEXT NOT NULL,
  report TEXT NOT NULL,
  last_checkin_at INTEGER,
  last_poll_at INTEGER,
  PRIMARY KEY (authority, name));
CREATE TABLE node_actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  authority TEXT NOT NULL REFERENCES authorities(name),
  node TEXT NOT NULL,
  kind TEXT NOT NULL,
  argument TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'delivered', 'succeeded', 'failed', 'expired')),
  requested_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  finished_at INTEGER,
  result TEXT NOT NULL);
CREATE INDEX node_actions_by_node ON node_actions(authority, node, state);
)sql",
     ""},
    // Enrollment (issue 14): one-time bootstrap tokens, kept only as their SHA-256, consumed by a
    // conditional UPDATE in the unit of work that records the certificate (store/token_records.hpp); and
    // the queue of certificate requests waiting for an operator or autosign, keyed by id and by name
    // (certname), shared by POST /v1/requests and the Puppet CA API (`source`). At most one pending
    // request per name and authority.
    {7,
     R"sql(
CREATE TABLE enrollment_tokens (
  hash TEXT PRIMARY KEY,
  authority TEXT NOT NULL REFERENCES authorities(name),
  names TEXT NOT NULL,
  profile TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  used_serial TEXT NOT NULL,
  created_by TEXT NOT NULL);
CREATE TABLE certificate_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  authority TEXT NOT NULL REFERENCES authorities(name),
  name TEXT NOT NULL,
  csr_pem TEXT NOT NULL,
  profile TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'issued', 'denied')),
  certificate_serial TEXT NOT NULL,
  reason TEXT NOT NULL,
  source TEXT NOT NULL,
  submitted_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by TEXT NOT NULL);
CREATE INDEX certificate_requests_by_name ON certificate_requests(authority, name);
CREATE INDEX certificate_requests_by_state ON certificate_requests(authority, state);
CREATE UNIQUE INDEX certificate_requests_one_pending ON certificate_requests(authority, name)
  WHERE state = 'pending';
)sql",
     R"sql(
CREATE TABLE enrollment_tokens (
  hash TEXT PRIMARY KEY,
  authority TEXT NOT NULL REFERENCES authorities(name),
  names TEXT NOT NULL,
  profile TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  used_serial TEXT NOT NULL,
  created_by TEXT NOT NULL);
CREATE TABLE certificate_requests (
  id BIGSERIAL PRIMARY KEY,
  authority TEXT NOT NULL REFERENCES authorities(name),
  name TEXT NOT NULL,
  csr_pem TEXT NOT NULL,
  profile TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'issued', 'denied')),
  certificate_serial TEXT NOT NULL,
  reason TEXT NOT NULL,
  source TEXT NOT NULL,
  submitted_at BIGINT NOT NULL,
  decided_at BIGINT,
  decided_by TEXT NOT NULL);
CREATE INDEX certificate_requests_by_name ON certificate_requests(authority, name);
CREATE INDEX certificate_requests_by_state ON certificate_requests(authority, state);
CREATE UNIQUE INDEX certificate_requests_one_pending ON certificate_requests(authority, name)
  WHERE state = 'pending';
)sql"},
    // Admin certificates (issue 14, "who may do what"): a client certificate of our CA means nothing by
    // its name; only a serial on this allow-list, with a role, may administer the authority over HTTPS.
    // One entry per name and authority; revoking the certificate removes the entry.
    {8,
     R"sql(
CREATE TABLE admin_certificates (
  serial TEXT PRIMARY KEY REFERENCES certificates(serial),
  authority TEXT NOT NULL REFERENCES authorities(name),
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'reader')),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (authority, name));
)sql",
     ""},
    // ACME external account binding (RFC 8555 7.3.4, issue 16): the key identifier ("kid") an account was
    // bound with and the binding JWS the account object returns ("" for none); one kid binds one account
    // per authority, as step-ca does (store/acme_records.hpp).
    {9,
     R"sql(
ALTER TABLE acme_accounts ADD COLUMN eab_kid TEXT NOT NULL DEFAULT '';
ALTER TABLE acme_accounts ADD COLUMN external_account_binding TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX acme_accounts_one_per_eab_kid ON acme_accounts(authority, eab_kid) WHERE eab_kid <> '';
)sql",
     ""},
    // Operations by name (issue 15): a node refuses an operation its own configuration does not define;
    // the action ends 'refused' (nothing ran), apart from 'failed' (it ran and failed). The kind
    // 'operation' carries the operation's name in `argument`, so no column is added. SQLite cannot alter
    // a CHECK constraint: the table is rebuilt; PostgreSQL replaces the constraint.
    {10,
     R"sql(
CREATE TABLE node_actions_v10 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  authority TEXT NOT NULL REFERENCES authorities(name),
  node TEXT NOT NULL,
  kind TEXT NOT NULL,
  argument TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'delivered', 'succeeded', 'failed', 'refused', 'expired')),
  requested_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  finished_at INTEGER,
  result TEXT NOT NULL);
INSERT INTO node_actions_v10 SELECT id, authority, node, kind, argument, state, requested_by, created_at,
  delivered_at, finished_at, result FROM node_actions;
DROP TABLE node_actions;
ALTER TABLE node_actions_v10 RENAME TO node_actions;
CREATE INDEX node_actions_by_node ON node_actions(authority, node, state);
)sql",
     R"sql(
ALTER TABLE node_actions DROP CONSTRAINT node_actions_state_check;
ALTER TABLE node_actions ADD CONSTRAINT node_actions_state_check
  CHECK (state IN ('queued', 'delivered', 'succeeded', 'failed', 'refused', 'expired'));
)sql"},
}};

}  // namespace

std::span<const Migration> fleet_migrations() noexcept {
    return steps;
}

}  // namespace certfleet::store
