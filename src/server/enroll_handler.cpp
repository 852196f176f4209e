#include "server/enroll_handler.hpp"

#include "api/json_codec.hpp"
#include "core/secret.hpp"
#include "enrollment/token_enrollment.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "server/issued_answer.hpp"
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
    return json_response(api::encode(issued_answer(issued)), http::status::created);
}

}  // namespace certfleet::server
