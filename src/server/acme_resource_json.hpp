#pragma once

#include "server/acme_service.hpp"
#include "store/acme_records.hpp"

#include <nlohmann/json.hpp>

namespace certfleet::server {

/// Returns an account object (RFC 8555 7.1.2): status, contact, orders URL.
nlohmann::json account_json(const store::AcmeAccountRecord& account, const AcmeService& acme);
/// Returns an order object (RFC 8555 7.1.3): status, expires, identifiers, authorizations, finalize, and
/// certificate once valid or error once invalid.
nlohmann::json order_json(const store::AcmeOrderRecord& order, const AcmeService& acme);
/// Returns a challenge object (RFC 8555 7.1.5, 8.3): type, url, status, token, validated, error.
nlohmann::json challenge_json(const store::AcmeChallengeRecord& challenge, const AcmeService& acme);
/// Returns an authorization object (RFC 8555 7.1.4) with its challenges.
nlohmann::json authorization_json(const store::AcmeAuthorizationRecord& authorization,
                                  const AcmeService& acme);

}  // namespace certfleet::server
