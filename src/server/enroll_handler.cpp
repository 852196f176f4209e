#include "server/enroll_handler.hpp"

#include "api/json_codec.hpp"
#include "core/secret.hpp"
#include "enrollment/token_enrollment.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "server/router.hpp"

namespace certfleet::server {

HttpResponse handle_enroll(const RequestContext& context,
                           store::Store& store,
                           const authority::Authority& ca,
                           core::TimePoint now) {
    auto body = api::decode<api::EnrollRequest>(context.request->body(), "request body");
    const core::Secret token(std::move(body.token));
    const pki::Csr csr = pki::Csr::from_pem(body.csr_pem, "csr_pem");
    const authority::IssuedCertificate issued = enrollment::enroll_with_token(store, ca, token, csr, now);
    const api::IssuedCertificate answer{.serial = issued.certificate.serial_hex(),
                                        .certificate_pem = issued.certificate.pem(),
                                        .chain_pem = issued.chain_pem,
                                        .not_after = pki::format_time(issued.certificate.not_after())};
    return json_response(api::encode(answer), http::status::created);
}

}  // namespace certfleet::server
