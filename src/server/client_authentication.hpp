#pragma once

#include "core/clock.hpp"
#include "server/request_context.hpp"
#include "store/store.hpp"

namespace certfleet::server {

/// Accepts a client certificate (already chained to the CA at the handshake) only if it is unexpired
/// at `now`, recorded in `store` and not revoked. Applied on every route whenever a certificate is
/// presented, so a revoked or expired admin or node certificate gets 401 everywhere.
/// Throws Error(unauthenticated) naming the serial and the reason; Error(unavailable) from the store.
void authenticate_client(const ClientCertificate& certificate, store::Store& store, core::TimePoint now);

}  // namespace certfleet::server
