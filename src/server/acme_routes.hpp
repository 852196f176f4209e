#pragma once

#include "server/acme_service.hpp"
#include "server/router.hpp"

namespace certfleet::server {

/// Adds the ACME routes of `acme`'s authority under /acme/<authority>/ (docs/api.md, "ACME"). No route
/// needs a client certificate (ACME clients have none). Every answer, errors included, carries
/// Replay-Nonce and Link rel="index"; a failure of ours is a serverInternal problem (503 with
/// Retry-After when the store is unavailable); a plain GET on a POST-as-GET resource answers 405.
void add_acme_routes(Router& router, AcmeService& acme);

}  // namespace certfleet::server
