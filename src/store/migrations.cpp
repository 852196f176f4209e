#include "store/migrations.hpp"

#include "pki/certificate.hpp"
#include "pki/object_reader.hpp"

#include <array>

namespace certfleet::store {
namespace {

// Times are Unix seconds (UTC) in 64-bit integers in both dialects; DER is a BLOB / BYTEA.
// Migration 4's backfill: key identifiers that only the stored certificates know.
void backfill_key_ids(Transaction& tx);

constexpr std::array<Migration, 10> all_migrations{{
    {1,
     R"sql(
CREATE TABLE authorities (
  name TEXT PRIMARY KEY,
  chain_pem TEXT NOT NULL,
  encrypted_key_pem TEXT NOT NULL,
  root_key_pem TEXT NOT NULL,
  profiles_yaml TEXT NOT NULL,
  policy_yaml TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE certificates (
  serial TEXT PRIMARY KEY,
  authority TEXT NOT NULL REFERENCES authorities(name),
  subject TEXT NOT NULL,
  sans TEXT NOT NULL,
  not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  profile TEXT NOT NULL,
  requester TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
  revoked_at INTEGER,
  revocation_reason TEXT NOT NULL,
  der BLOB NOT NULL);
CREATE INDEX certificates_by_not_after ON certificates(authority, not_after);
CREATE TABLE crls (
  authority TEXT NOT NULL REFERENCES authorities(name),
  number INTEGER NOT NULL,
  this_update INTEGER NOT NULL,
  next_update INTEGER NOT NULL,
  der BLOB NOT NULL,
  PRIMARY KEY (authority, number));
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL);
)sql",
     R"sql(
CREATE TABLE authorities (
  name TEXT PRIMARY KEY,
  chain_pem TEXT NOT NULL,
  encrypted_key_pem TEXT NOT NULL,
  root_key_pem TEXT NOT NULL,
  profiles_yaml TEXT NOT NULL,
  policy_yaml TEXT NOT NULL,
  created_at BIGINT NOT NULL);
CREATE TABLE certificates (
  serial TEXT PRIMARY KEY,
  authority TEXT NOT NULL REFERENCES authorities(name),
  subject TEXT NOT NULL,
  sans TEXT NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  profile TEXT NOT NULL,
  requester TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
  revoked_at BIGINT,
  revocation_reason TEXT NOT NULL,
  der BYTEA NOT NULL);
CREATE INDEX certificates_by_not_after ON certificates(authority, not_after);
CREATE TABLE crls (
  authority TEXT NOT NULL REFERENCES authorities(name),
  number BIGINT NOT NULL,
  this_update BIGINT NOT NULL,
  next_update BIGINT NOT NULL,
  der BYTEA NOT NULL,
  PRIMARY KEY (authority, number));
CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL);
)sql"},
    // certificates_with_subject: drift checks look up every scanned certificate's subject.
    {2,
     "CREATE INDEX certificates_by_subject ON certificates(subject, not_before);",
     "CREATE INDEX certificates_by_subject ON certificates(subject, not_before);"},
    // Seed 004: custom chains uploaded per name + domain suffix, one current, the earlier ones kept.
    {3,
     R"sql(
CREATE TABLE custom_chains (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  domain_suffix TEXT NOT NULL,
  seq INTEGER NOT NULL,
  certificate_pem TEXT NOT NULL,
  chain_pem TEXT NOT NULL,
  encrypted_key_pem TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL,
  replaced_at INTEGER,
  UNIQUE (name, domain_suffix, seq));
CREATE UNIQUE INDEX custom_chains_current ON custom_chains(name, domain_suffix) WHERE replaced_at IS NULL;
)sql",
     R"sql(
CREATE TABLE custom_chains (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  domain_suffix TEXT NOT NULL,
  seq BIGINT NOT NULL,
  certificate_pem TEXT NOT NULL,
  chain_pem TEXT NOT NULL,
  encrypted_key_pem TEXT NOT NULL,
  uploaded_at BIGINT NOT NULL,
  replaced_at BIGINT,
  UNIQUE (name, domain_suffix, seq));
CREATE UNIQUE INDEX custom_chains_current ON custom_chains(name, domain_suffix) WHERE replaced_at IS NULL;
)sql"},
    // Issuer generations (a key change adds one; certificates and CRLs name the one that signed them),
    // renewal links, the authority of each audit entry, and store-wide settings (the passphrase check).
    {4,
     R"sql(
CREATE TABLE issuers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  authority TEXT NOT NULL REFERENCES authorities(name),
  generation INTEGER NOT NULL,
  chain_pem TEXT NOT NULL,
  encrypted_key_pem TEXT NOT NULL,
  key_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'retiring', 'retired')),
  created_at INTEGER NOT NULL,
  UNIQUE (authority, generation));
INSERT INTO issuers (authority, generation, chain_pem, encrypted_key_pem, key_id, state, created_at)
  SELECT name, 1, chain_pem, encrypted_key_pem, '', 'active', created_at FROM authorities;
ALTER TABLE authorities DROP COLUMN chain_pem;
ALTER TABLE authorities DROP COLUMN encrypted_key_pem;
ALTER TABLE certificates ADD COLUMN issuer_id INTEGER REFERENCES issuers(id);
ALTER TABLE certificates ADD COLUMN authority_key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN renews_serial TEXT NOT NULL DEFAULT '';
UPDATE certificates SET issuer_id =
  (SELECT id FROM issuers WHERE issuers.authority = certificates.authority AND issuers.generation = 1);
CREATE INDEX certificates_by_issuer ON certificates(issuer_id, status);
CREATE TABLE crls_by_issuer (
  authority TEXT NOT NULL REFERENCES authorities(name),
  issuer_id INTEGER NOT NULL REFERENCES issuers(id),
  number INTEGER NOT NULL,
  this_update INTEGER NOT NULL,
  next_update INTEGER NOT NULL,
  der BLOB NOT NULL,
  signer TEXT NOT NULL CHECK (signer IN ('issuer', 'root')),
  PRIMARY KEY (issuer_id, signer, number));
INSERT INTO crls_by_issuer (authority, issuer_id, number, this_update, next_update, der, signer)
  SELECT authority, (SELECT id FROM issuers WHERE issuers.authority = crls.authority AND issuers.generation = 1),
         number, this_update, next_update, der, 'issuer' FROM crls;
DROP TABLE crls;
ALTER TABLE crls_by_issuer RENAME TO crls;
ALTER TABLE audit_log ADD COLUMN authority TEXT NOT NULL DEFAULT '';
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql",
     "",  // the same DDL: the PostgreSQL driver translates the types (to_postgres_ddl)
     &backfill_key_ids},
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

void backfill_key_ids(Transaction& tx) {
    for (const SqlRow& r : tx.run("SELECT id, chain_pem FROM issuers WHERE key_id = ''").rows) {
        const auto chain = pki::read_certificates(r.text(1), "issuer chain");
        if (!chain.empty()) {
            tx.run("UPDATE issuers SET key_id = $1 WHERE id = $2", {chain[0].subject_key_id(), r.integer(0)});
        }
    }
    for (const SqlRow& r : tx.run("SELECT serial, der FROM certificates WHERE authority_key_id = ''").rows) {
        const pki::Certificate c = pki::Certificate::from_der(r.blob(1), "stored certificate");
        tx.run("UPDATE certificates SET authority_key_id = $1 WHERE serial = $2",
               {c.authority_key_id(), r.text(0)});
    }
}

}  // namespace

std::span<const Migration> migrations() noexcept {
    return all_migrations;
}

}  // namespace certfleet::store
