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
};

/// Adds the Puppet CA API v1 as puppet agent 7 uses it (no client certificate; text/plain):
/// GET /puppet-ca/v1/certificate/ca (the CA bundle, issuing CA first), GET .../certificate/NAME (404 while
/// pending), GET .../certificate_revocation_list/ca (one CRL per CA of the bundle; 304 for
/// If-Modified-Since), PUT .../certificate_request/NAME (queued in the one request queue: `certfleet
/// request approve NAME` or autosign signs it; 400 with puppetserver's words for a duplicate, a name
/// mismatch or disallowed alt names). `context` must outlive the router.
void add_puppet_ca_routes(Router& router, const PuppetCaContext& context);

}  // namespace certfleet::server
