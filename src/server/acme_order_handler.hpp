#pragma once

#include "server/acme_service.hpp"

namespace certfleet::server {

/// POST newOrder (RFC 8555 7.4): identifiers judged by acme::check_order_identifiers against the
/// authority's policy (wildcards and refused names: rejectedIdentifier naming the rule); 201 with Location,
/// one authorization per name, each with one http-01 challenge.
HttpResponse handle_acme_new_order(const RequestContext& context, AcmeService& acme);
/// POST order/{id} (POST-as-GET): the order, brought up to date (expiry, authorizations).
HttpResponse handle_acme_order(const RequestContext& context, AcmeService& acme);
/// POST authz/{id}: POST-as-GET reads it (expiry applied); {"status": "deactivated"} deactivates it.
HttpResponse handle_acme_authorization(const RequestContext& context, AcmeService& acme);
/// POST chall/{id} ({}): starts http-01 validation on the validation workers and answers the challenge
/// (processing) with Link rel="up" to its authorization; POST-as-GET reads it.
HttpResponse handle_acme_challenge(const RequestContext& context, AcmeService& acme);

/// Returns the order in the route's {id}, brought up to date, if the request's account owns it;
/// malformed (404) for an unknown id, unauthorized for another account's order.
acme::Checked<store::AcmeOrderRecord> owned_order(AcmeService& acme,
                                                  const RequestContext& context,
                                                  const AcmeRequest& request);

/// Returns `order` with the status RFC 8555 7.1.6 gives it now (its authorizations valid: ready; one
/// invalid or expired, or the order expired: invalid), storing a change. Throws as the store does.
store::AcmeOrderRecord current_order(AcmeService& acme, store::AcmeOrderRecord order);

}  // namespace certfleet::server
