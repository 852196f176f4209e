#pragma once
// acme/ owns the rules of certfleet's ACME server (RFC 8555), everything but the HTTP transport:
// reading and verifying request JWS (jws, jwk: flattened JSON, ES256/ES384/RS256 allow-list, "jwk" or
// "kid", the request URL, RFC 7638 thumbprints and key authorizations), external account binding of a
// newAccount (external_account_keys, external_account_binding: HMAC JWS, RFC 8555 7.3.4), single-use nonces
// that replicas share without an fsync each (nonce), the order / authorization / challenge status changes as
// pure functions (order_state_machine), identifiers and finalize CSRs judged against the order and the
// authority's policy (identifiers), http-01 validation over libcurl (http01_validator), and finalize and
// revocation through authority::Authority (finalization). Every refusal is a Problem value (RFC 7807 with
// the ACME error type); Error is thrown only for failures that are ours. The records are in
// store/acme_records.hpp; the routes that call these pieces live in server/ (docs/acme.md says how).

#include "acme/base64url.hpp"
#include "acme/external_account_binding.hpp"
#include "acme/external_account_keys.hpp"
#include "acme/finalization.hpp"
#include "acme/http01_validator.hpp"
#include "acme/identifiers.hpp"
#include "acme/jwk.hpp"
#include "acme/jws.hpp"
#include "acme/nonce.hpp"
#include "acme/order_state_machine.hpp"
#include "acme/problem.hpp"
