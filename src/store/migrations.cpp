#include "store/migrations.hpp"

#include "pki/certificate.hpp"
#include "pki/object_reader.hpp"
#include "store/fleet_migrations.hpp"

#include <array>
#include <vector>

namespace certfleet::store {
namespace {

// The CA's own schema (1-4): authorities and their issuer generations, the certificate ledger, CRLs, the
// audit log, custom chains and settings. The fleet's (5 on) is in fleet_migrations.cpp.
// Times are Unix seconds (UTC) in 64-bit integers in both dialects; DER is a BLOB / BYTEA.
// Migration 4's backfill: key identifiers that only the stored certificates know.
void backfill_key_ids(Transaction& tx);

constexpr std::array<Migration, 4> ca_migrations{{
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
    static const std::vector<Migration> all = [] {
        std::vector<Migration> steps(ca_migrations.begin(), ca_migrations.end());
        const std::span<const Migration> fleet = fleet_migrations();
        steps.insert(steps.end(), fleet.begin(), fleet.end());
        return steps;
    }();
    return all;
}

}  // namespace certfleet::store
