#pragma once

#include "authority/authority.hpp"
#include "core/clock.hpp"
#include "enrollment/request_queue.hpp"
#include "puppet_ca/certificate_request.hpp"
#include "server/crl_publisher.hpp"
#include "server/router.hpp"
#include "store/store.hpp"

namespace certfleet::server {

/// What the Puppet CA routes share.
struct PuppetCaContext {
    store::Store* store = nullptr;
    const authority::Authority* ca = nullptr;
    CrlPublisher* crl = nullptr;
    const core::Clock* clock = nullptr;
    enrollment::QueueSettings queue;  ///< the server's autosign rules, source "puppet"
    puppet_ca::CsrRules csr_rules;
    core::Seconds crl_validity{7L * 24 * 3600};  ///< of the CRL signed when an admin revokes
};

/// Adds the Puppet CA API v1 as puppet agent 7 uses it (no client certificate; text/plain):
/// GET /puppet-ca/v1/certificate/ca (the CA bundle, issuing CA first), GET .../certificate/NAME (404 while
/// pending), GET .../certificate_revocation_list/ca (one CRL per CA of the bundle; 304 for
/// If-Modified-Since), PUT .../certificate_request/NAME (queued in the one request queue: `certfleet
/// request approve NAME` or autosign signs it; 400 with puppetserver's words for a duplicate, a name
/// mismatch or disallowed alt names). Also adds add_puppet_ca_admin_routes. `context` must outlive the
/// router.
void add_puppet_ca_routes(Router& router, const PuppetCaContext& context);

/// Adds puppetserver's management routes (client certificate required; JSON; conflicts are 409):
/// GET/PUT/DELETE .../certificate_status/NAME and GET .../certificate_statuses/any[?state=...] for admin
/// certificates (a reader may GET; PUT `{"desired_state":"signed"|"revoked"}` and DELETE need operator:
/// sign the pending request, revoke the certificates, or drop the request and revoke), and POST
/// .../certificate_renewal for a node renewing its own certificate with a CSR of the same subject (as
/// /v1/renew; answers the new certificate PEM). In puppet_ca_admin_routes.cpp.
void add_puppet_ca_admin_routes(Router& router, const PuppetCaContext& context);

}  // namespace certfleet::server
