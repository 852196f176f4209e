#include "server/acme_certificate_handler.hpp"

#include "acme/base64url.hpp"
#include "acme/finalization.hpp"
#include "core/error.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "server/acme_order_handler.hpp"
#include "server/acme_resource_json.hpp"
#include "server/router.hpp"

#include <fmt/format.h>

namespace certfleet::server {
namespace {

using acme::Problem;
using acme::ProblemType;

HttpResponse order_response(const store::AcmeOrderRecord& order, const AcmeService& acme) {
    HttpResponse response = acme_json_response(order_json(order, acme));
    response.set(http::field::location, acme.url(fmt::format("order/{}", order.id)));
    return response;
}

acme::Checked<pki::Csr> read_csr(const nlohmann::json& body) {
    const auto field = body.find("csr");
    const auto der = field != body.end() && field->is_string()
                         ? acme::base64url_decode(field->get<std::string>())
                         : std::nullopt;
    if (!der) {
        return Problem{.type = ProblemType::malformed, .detail = "csr: expected the base64url DER of a CSR"};
    }
    try {
        return pki::Csr::from_der(pki::to_bytes(*der), "csr");
    } catch (const core::Error& e) {
        return Problem{.type = ProblemType::bad_csr, .detail = e.what()};
    }
}

}  // namespace

HttpResponse handle_acme_finalize(const RequestContext& context, AcmeService& acme) {
    auto checked = acme.authenticate(context, acme::KeyBinding::kid);
    if (const Problem* problem = acme::problem_of(checked)) {
        return problem_response(*problem);
    }
    const AcmeRequest& request = std::get<AcmeRequest>(checked);
    auto owned = owned_order(acme, context, request);
    if (const Problem* problem = acme::problem_of(owned)) {
        return problem_response(*problem);
    }
    const store::AcmeOrderRecord& order = std::get<store::AcmeOrderRecord>(owned);
    // owned_order applied RFC 8555 7.1.6 (authorizations, expiry): only a ready order may be finalized
    // (7.4: "403 (Forbidden) error with a problem document of type "orderNotReady"").
    if (order.status != "ready") {
        return problem_response({.type = ProblemType::order_not_ready,
                                 .detail = fmt::format("order {} is {}, not ready", order.id, order.status)});
    }
    auto payload = request.message.payload_object();
    if (const Problem* problem = acme::problem_of(payload)) {
        return problem_response(*problem);
    }
    auto csr = read_csr(std::get<nlohmann::json>(payload));
    if (const Problem* problem = acme::problem_of(csr)) {
        return problem_response(*problem);
    }
    bool claimed = false;
    acme.store().commit([&](store::Transaction& tx) {
        claimed = store::set_acme_order_status(tx, order.id, "ready", "processing");
    });
    if (!claimed) {
        return problem_response(
            {.type = ProblemType::order_not_ready,
             .detail = fmt::format("order {} is being finalized by another request", order.id)});
    }
    const auto issued = acme::finalize_order(acme.ca(), order, std::get<pki::Csr>(csr), acme.now());
    store::AcmeOrderRecord result = order;
    if (const Problem* problem = acme::problem_of(issued)) {
        result.status = "invalid";
        result.error = problem->to_json().dump();
        acme.store().commit([&](store::Transaction& tx) {
            store::set_acme_order_status(tx, order.id, "processing", "invalid", result.error);
        });
        return problem_response(*problem);
    }
    result.status = "valid";
    result.certificate_serial = std::get<authority::IssuedCertificate>(issued).certificate.serial_hex();
    acme.store().commit([&](store::Transaction& tx) {
        store::set_acme_order_status(tx, order.id, "processing", "valid", "", result.certificate_serial);
    });
    return order_response(result, acme);
}

HttpResponse handle_acme_certificate(const RequestContext& context, AcmeService& acme) {
    auto checked = acme.authenticate(context, acme::KeyBinding::kid);
    if (const Problem* problem = acme::problem_of(checked)) {
        return problem_response(*problem);
    }
    const AcmeRequest& request = std::get<AcmeRequest>(checked);
    const auto record = acme.store().find_certificate(context.parameter);
    if (!record || record->authority != acme.ca().name()) {
        return problem_response(
            {.type = ProblemType::malformed,
             .detail = fmt::format("no certificate {} at this server", context.parameter)});
    }
    if (record->requester != acme::account_actor(request.account->id)) {
        return problem_response(
            {.type = ProblemType::unauthorized,
             .detail = fmt::format("certificate {} was ordered by another account", context.parameter)});
    }
    std::string pem = pki::Certificate::from_der(record->der, "ledger").pem();
    const std::vector<pki::Certificate>& chain = acme.ca().chain();
    // The issuing CA up to, not including, the root (clients have it); the root when it issues itself.
    const std::size_t count = chain.size() > 1 ? chain.size() - 1 : chain.size();
    for (std::size_t i = 0; i < count; ++i) {
        pem += chain[i].pem();
    }
    return content_response(std::move(pem), "application/pem-certificate-chain");
}

HttpResponse handle_acme_revoke(const RequestContext& context, AcmeService& acme) {
    auto checked = acme.authenticate(context, acme::KeyBinding::jwk_or_kid);
    if (const Problem* problem = acme::problem_of(checked)) {
        return problem_response(*problem);
    }
    const AcmeRequest& request = std::get<AcmeRequest>(checked);
    auto payload = request.message.payload_object();
    if (const Problem* problem = acme::problem_of(payload)) {
        return problem_response(*problem);
    }
    acme::RevocationRequester requester;
    if (request.account) {
        requester.account_id = request.account->id;
    } else {
        requester.certificate_key = &*request.key;
    }
    const auto revoked = acme::revoke_certificate(acme.ca(),
                                                  acme.store(),
                                                  std::get<nlohmann::json>(payload),
                                                  requester,
                                                  acme.now(),
                                                  acme.crl_validity());
    if (const Problem* problem = acme::problem_of(revoked)) {
        return problem_response(*problem);
    }
    HttpResponse response{http::status::ok, 11};
    response.prepare_payload();
    return response;
}

}  // namespace certfleet::server
