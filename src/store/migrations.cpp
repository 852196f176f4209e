#include "store/migrations.hpp"

#include <array>

namespace certfleet::store {
namespace {

// Times are Unix seconds (UTC) in 64-bit integers in both dialects; DER is a BLOB / BYTEA.
constexpr std::array<Migration, 2> all_migrations{{
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
}};

}  // namespace

std::span<const Migration> migrations() noexcept {
    return all_migrations;
}

}  // namespace certfleet::store
