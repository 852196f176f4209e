#include "authority/renewal.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <utility>

namespace certfleet::authority {

RenewalBasis renewal_basis(const store::CertificateRecord& old) {
    if (old.status == store::CertificateStatus::revoked) {
        throw core::Error(
            core::ErrorCode::conflict,
            fmt::format("certificate {} is revoked ({}): issue a new one instead of renewing it",
                        old.serial_hex,
                        old.revocation_reason));
    }
    const pki::Certificate certificate =
        pki::Certificate::from_der(old.der, fmt::format("certificate {}", old.serial_hex));
    return RenewalBasis{
        .names = {.subject = certificate.subject(), .subject_alt_names = certificate.subject_alt_names()},
        .profile = old.profile,
        .renews_serial = old.serial_hex};
}

IssueRequest renewal_request(const RenewalBasis& basis, const pki::Csr& csr, std::string requester) {
    return IssueRequest{.csr = &csr,
                        .profile = basis.profile,
                        .requester = std::move(requester),
                        .authorisation = {.basis = fmt::format("renewal of {}", basis.renews_serial),
                                          .names = basis.names.subject_alt_names},
                        .renews_serial = basis.renews_serial};
}

}  // namespace certfleet::authority
