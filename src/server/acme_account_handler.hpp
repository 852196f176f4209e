#pragma once

#include "server/acme_service.hpp"

namespace certfleet::server {

/// GET directory (RFC 8555 7.1.1): the URLs of newNonce, newAccount, newOrder, revokeCert, keyChange.
HttpResponse handle_acme_directory(const RequestContext& context, AcmeService& acme);
/// HEAD newNonce answers 200, GET 204 (RFC 8555 7.2); the nonce is the Replay-Nonce every answer carries.
HttpResponse handle_acme_new_nonce(const RequestContext& context, AcmeService& acme);
/// POST newAccount (RFC 8555 7.3, "jwk"): 201 with Location for a new key, 200 with Location for a known
/// one; accountDoesNotExist for onlyReturnExisting and an unknown key; invalidContact for a non-mailto
/// contact.
HttpResponse handle_acme_new_account(const RequestContext& context, AcmeService& acme);
/// POST acct/{id} (RFC 8555 7.3.2, 7.3.6): POST-as-GET reads the account; {"contact": [...]} replaces the
/// contact; {"status": "deactivated"} deactivates it for good. Only the account itself may.
HttpResponse handle_acme_account(const RequestContext& context, AcmeService& acme);
/// POST orders/{id} (RFC 8555 7.1.2.1, POST-as-GET): the account's order URLs.
HttpResponse handle_acme_orders(const RequestContext& context, AcmeService& acme);
/// POST keyChange (RFC 8555 7.3.5): an inner JWS signed by the new key, naming the account and its old key.
HttpResponse handle_acme_key_change(const RequestContext& context, AcmeService& acme);

}  // namespace certfleet::server
