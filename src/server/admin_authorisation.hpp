#pragma once

#include "core/clock.hpp"
#include "server/request_context.hpp"
#include "store/admin_records.hpp"
#include "store/store.hpp"

#include <string>
#include <string_view>

namespace certfleet::server {

/// The admin a request comes from, once authorise_admin accepted its client certificate.
struct AdminIdentity {
    std::string name;  ///< the allow-list's name, not the certificate's commonName
    store::AdminRole role = store::AdminRole::reader;
    std::string serial_hex;

    /// Returns "admin:NAME", the actor of the audit log.
    [[nodiscard]] std::string actor() const { return "admin:" + name; }
};

/// What a route needs of an admin.
struct AdminNeed {
    std::string_view authority;  ///< the authority the route administers
    store::AdminRole role = store::AdminRole::admin;
    std::string_view action;  ///< named in a refusal: "sign certificate requests"
};

/// Decides whether `caller` may act as an admin of `need.authority` with at least `need.role` at `now`.
/// The certificate's name means nothing: its serial must be on the allow-list (store/admin_records.hpp).
/// Throws Error(unauthenticated) (401) for no client certificate, one not on the list of this authority,
/// expired at `now`, or unknown to or revoked in the store (checked here, whatever the handshake
/// accepted); Error(forbidden) (403) naming the admin, its role and the role needed when the role is too
/// low; Error(unavailable) when the store cannot say.
AdminIdentity authorise_admin(const Caller& caller,
                              store::Store& store,
                              const AdminNeed& need,
                              core::TimePoint now);

}  // namespace certfleet::server
