#include "server/client_authentication.hpp"

#include "core/error.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>

namespace certfleet::server {

void authenticate_client(const ClientCertificate& certificate, store::Store& store, core::TimePoint now) {
    using core::Error;
    using core::ErrorCode;
    if (certificate.serial_hex.empty()) {
        throw Error(ErrorCode::unauthenticated, "client certificate: unreadable");
    }
    if (!certificate.client_auth) {
        throw Error(ErrorCode::unauthenticated,
                    fmt::format("client certificate {}: no clientAuth extended key usage, so it cannot "
                                "authenticate a client: issue it with the peer or client profile",
                                certificate.serial_hex));
    }
    if (now > certificate.not_after) {
        throw Error(ErrorCode::unauthenticated,
                    fmt::format("client certificate {}: expired at {}",
                                certificate.serial_hex,
                                pki::format_time(certificate.not_after)));
    }
    const auto record = store.find_certificate(certificate.serial_hex);
    if (!record) {
        throw Error(
            ErrorCode::unauthenticated,
            fmt::format("client certificate {}: not issued by this CA's store", certificate.serial_hex));
    }
    if (record->status == store::CertificateStatus::revoked) {
        throw Error(ErrorCode::unauthenticated,
                    fmt::format("client certificate {}: revoked", certificate.serial_hex));
    }
}

}  // namespace certfleet::server
