#include "acme/finalization.hpp"

#include "acme/base64url.hpp"
#include "acme/identifiers.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

namespace certfleet::acme {

std::string account_actor(std::int64_t account_id) {
    return fmt::format("acme:acct/{}", account_id);
}

authority::IssueRequest issue_request_for(const store::AcmeOrderRecord& order, const pki::Csr& csr) {
    std::vector<pki::GeneralName> names;
    names.reserve(order.identifiers.size());
    for (const std::string& id : order.identifiers) {
        names.push_back({pki::GeneralName::Kind::dns, id});
    }
    return {.csr = &csr,
            .profile = "server",
            .requester = account_actor(order.account_id),
            .authorisation = {.basis = fmt::format("acme order {}", order.id), .names = std::move(names)}};
}

Checked<authority::IssuedCertificate> finalize_order(const authority::Authority& authority,
                                                     const store::AcmeOrderRecord& order,
                                                     const pki::Csr& csr,
                                                     core::TimePoint now) {
    if (auto problem = check_csr_names(csr, order.identifiers)) {
        return *std::move(problem);
    }
    try {
        return authority.issue(issue_request_for(order, csr), now);
    } catch (const core::Error& e) {
        if (e.code() == core::ErrorCode::forbidden) {
            return Problem{.type = ProblemType::rejected_identifier, .detail = e.what()};
        }
        if (e.code() == core::ErrorCode::invalid_input) {
            return Problem{.type = ProblemType::bad_csr, .detail = e.what()};
        }
        throw;
    }
}

Checked<store::CertificateRecord> revoke_certificate(const authority::Authority& authority,
                                                     store::Store& store,
                                                     const nlohmann::json& payload,
                                                     const RevocationRequester& requester,
                                                     core::TimePoint now,
                                                     core::Seconds crl_validity) {
    const auto field = payload.find("certificate");
    const auto der = field != payload.end() && field->is_string()
                         ? base64url_decode(field->get<std::string>())
                         : std::nullopt;
    if (!der) {
        return Problem{.type = ProblemType::malformed,
                       .detail = "revokeCert: \"certificate\" must be the base64url DER certificate"};
    }
    authority::RevocationReason reason = authority::RevocationReason::unspecified;
    if (const auto r = payload.find("reason"); r != payload.end()) {
        // RFC 8555 7.6: the reason code is an RFC 5280 CRLReason; 7 is unused there.
        if (!r->is_number_integer() || r->get<int>() < 0 || r->get<int>() > 10 || r->get<int>() == 7) {
            return Problem{
                .type = ProblemType::bad_revocation_reason,
                .detail = "revokeCert: \"reason\" must be an RFC 5280 CRLReason code (0-10, not 7)"};
        }
        reason = static_cast<authority::RevocationReason>(r->get<int>());
    }
    std::optional<pki::Certificate> certificate;
    try {
        certificate = pki::Certificate::from_der(pki::to_bytes(*der), "revokeCert certificate");
    } catch (const core::Error&) {
        return Problem{.type = ProblemType::malformed,
                       .detail = "revokeCert: \"certificate\" is not a certificate"};
    }
    const std::string serial = certificate->serial_hex();
    const auto stored = store.find_certificate(serial);
    if (!stored || stored->authority != authority.name() || stored->der != certificate->der()) {
        return Problem{
            .type = ProblemType::malformed,
            .detail = fmt::format("revokeCert: certificate {} was not issued by this server", serial)};
    }
    std::string actor;
    if (requester.account_id && stored->requester == account_actor(*requester.account_id)) {
        actor = account_actor(*requester.account_id);
    } else if (requester.certificate_key != nullptr &&
               requester.certificate_key->matches(certificate->public_key())) {
        actor = fmt::format("acme:key/{}", requester.certificate_key->thumbprint());
    } else {
        return Problem{.type = ProblemType::unauthorized,
                       .detail = fmt::format("revokeCert: the request is signed neither by the account that "
                                             "ordered certificate {} nor by its key",
                                             serial)};
    }
    try {
        return authority.revoke(serial, reason, {.name = actor, .at = now}, crl_validity);
    } catch (const core::Error& e) {
        if (e.code() == core::ErrorCode::conflict) {
            return Problem{.type = ProblemType::already_revoked,
                           .detail = fmt::format("certificate {} is already revoked", serial)};
        }
        throw;
    }
}

}  // namespace certfleet::acme
