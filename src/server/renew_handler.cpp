#include "server/renew_handler.hpp"

#include "api/json_codec.hpp"
#include "authority/ledger.hpp"
#include "authority/renewal.hpp"
#include "core/error.hpp"
#include "enrollment/renewal_authorizer.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "server/issued_answer.hpp"
#include "server/router.hpp"

#include <fmt/format.h>

namespace certfleet::server {

using core::Error;
using core::ErrorCode;

authority::IssuedCertificate renew_client_certificate(const ClientCertificate& caller,
                                                      const pki::Csr& csr,
                                                      store::Store& store,
                                                      const authority::Authority& ca,
                                                      core::TimePoint now) {
    const auto current = authority::Ledger(store).find(caller.serial_hex);
    if (!current || current->authority != ca.name()) {
        throw Error(
            ErrorCode::forbidden,
            fmt::format("client certificate {}: not issued by authority {}", caller.serial_hex, ca.name()));
    }
    const authority::RenewalBasis basis = authority::renewal_basis(*current);
    if (csr.subject() != basis.names.subject) {
        throw Error(
            ErrorCode::forbidden,
            fmt::format("csr_pem: subject \"{}\" is not \"{}\" of certificate {}: a renewal keeps the "
                        "subject",
                        csr.subject(),
                        basis.names.subject,
                        caller.serial_hex));
    }
    // A CSR without subjectAltNames (a Puppet agent's) asks for its commonName, as the authority reads it.
    std::vector<pki::GeneralName> requested = csr.subject_alt_names();
    if (requested.empty() && !csr.subject_common_name().empty()) {
        try {
            requested.push_back(pki::parse_general_name(csr.subject_common_name(), "commonName"));
        } catch (const Error&) {
            // not a name: the CSR names nothing, and judge_renewal says so
        }
    }
    const enrollment::RenewalDecision decision =
        enrollment::judge_renewal({.serial_hex = current->serial_hex,
                                   .names = basis.names.subject_alt_names,
                                   .not_after = current->not_after,
                                   .revoked = current->status == store::CertificateStatus::revoked},
                                  requested,
                                  {},
                                  now);
    if (decision.verdict != enrollment::RenewalVerdict::allowed) {
        throw Error(ErrorCode::forbidden, decision.message);
    }
    // The node by name, as its check-ins and actions are audited (the serial it renews is in `renews`); a
    // certificate without a commonName names no node, so its serial stands in.
    const std::string& node = caller.common_name.empty() ? caller.serial_hex : caller.common_name;
    return ca.issue(authority::renewal_request(basis, csr, fmt::format("node:{}", node)), now);
}

HttpResponse handle_renew(const RequestContext& context,
                          store::Store& store,
                          const authority::Authority& ca,
                          core::TimePoint now) {
    // The route needs a client certificate, and run_handler authenticated it (issued here, unexpired,
    // unrevoked) before this runs.
    const ClientCertificate& caller = context.caller.certificate.value();
    const auto submission = api::decode<api::CsrSubmission>(context.request->body(), "request body");
    const pki::Csr csr = pki::Csr::from_pem(submission.csr_pem, "csr_pem");
    const authority::IssuedCertificate issued = renew_client_certificate(caller, csr, store, ca, now);
    return json_response(api::encode(issued_answer(issued)), http::status::created);
}

}  // namespace certfleet::server
