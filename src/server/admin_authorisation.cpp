#include "server/admin_authorisation.hpp"

#include "core/error.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>

namespace certfleet::server {

using core::Error;
using core::ErrorCode;

AdminIdentity authorise_admin(const Caller& caller,
                              store::Store& store,
                              const AdminNeed& need,
                              core::TimePoint now) {
    if (!caller.certificate || caller.certificate->serial_hex.empty()) {
        throw Error(ErrorCode::unauthenticated,
                    fmt::format("an admin client certificate is needed to {}", need.action));
    }
    const ClientCertificate& certificate = *caller.certificate;
    const std::string& serial = certificate.serial_hex;
    if (now > certificate.not_after) {
        throw Error(
            ErrorCode::unauthenticated,
            fmt::format(
                "client certificate {}: expired at {}", serial, pki::format_time(certificate.not_after)));
    }
    const auto admin =
        store.read([&](store::Transaction& tx) { return store::find_admin_certificate(tx, serial); });
    if (!admin || admin->authority != need.authority) {
        throw Error(ErrorCode::unauthenticated,
                    fmt::format("client certificate {}: not an admin certificate of authority \"{}\" "
                                "(certfleet admin-cert issue)",
                                serial,
                                need.authority));
    }
    const auto issued = store.find_certificate(serial);
    if (!issued || issued->authority != need.authority) {
        throw Error(
            ErrorCode::unauthenticated,
            fmt::format("client certificate {}: not issued by authority \"{}\"", serial, need.authority));
    }
    if (issued->status == store::CertificateStatus::revoked) {
        throw Error(ErrorCode::unauthenticated, fmt::format("client certificate {}: revoked", serial));
    }
    if (now > issued->not_after) {
        throw Error(
            ErrorCode::unauthenticated,
            fmt::format("client certificate {}: expired at {}", serial, pki::format_time(issued->not_after)));
    }
    if (admin->role < need.role) {
        throw Error(ErrorCode::forbidden,
                    fmt::format("admin {} has role {}: to {} needs role {}",
                                admin->name,
                                store::to_string(admin->role),
                                need.action,
                                store::to_string(need.role)));
    }
    return {.name = admin->name, .role = admin->role, .serial_hex = serial};
}

}  // namespace certfleet::server
