#include "server/acme_routes.hpp"

#include "core/error.hpp"
#include "server/acme_account_handler.hpp"
#include "server/acme_certificate_handler.hpp"
#include "server/acme_order_handler.hpp"
#include "server/error_response.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>

namespace certfleet::server {
namespace {

using AcmeHandler = HttpResponse (*)(const RequestContext&, AcmeService&);

// Every ACME failure is a problem document (RFC 8555 6.7), ours included, with the headers of finish().
HttpResponse answer(const RequestContext& context, AcmeService& acme, AcmeHandler handler) {
    HttpResponse response;
    try {
        response = handler(context, acme);
    } catch (const core::Error& e) {
        const bool unavailable = e.code() == core::ErrorCode::unavailable;
        if (!unavailable) {
            spdlog::error("request_id={} acme: internal error: {}", context.request_id, e.what());
        }
        response =
            problem_response({.type = acme::ProblemType::server_internal,
                              .detail = unavailable ? e.what() : "internal error (see the server log)"});
        if (unavailable) {
            response.result(http::status::service_unavailable);
            response.set(http::field::retry_after, std::to_string(retry_after_seconds));
        }
    } catch (const std::exception& e) {
        spdlog::error("request_id={} acme: internal error: {}", context.request_id, e.what());
        response = problem_response(
            {.type = acme::ProblemType::server_internal, .detail = "internal error (see the server log)"});
    }
    acme.finish(response);
    return response;
}

// RFC 8555 6.3: resources are read with POST-as-GET; "the server MUST reject GET requests" for them except
// the directory and newNonce (405 here, with Allow).
HttpResponse refuse_get(const RequestContext& context, AcmeService& /*acme*/) {
    HttpResponse response = problem_response(
        {.type = acme::ProblemType::malformed,
         .detail = fmt::format("{} is read with POST-as-GET (RFC 8555 6.3), not GET", context.path)});
    response.result(http::status::method_not_allowed);
    response.set(http::field::allow, "POST");
    return response;
}

void add(Router& router,
         AcmeService& acme,
         http::verb method,
         std::string_view tail,
         AcmeHandler handler,
         Execution execution = Execution::worker_pool) {
    router.add({.method = method,
                .pattern = acme.path(tail),
                .execution = execution,
                .handler = [&acme, handler](const RequestContext& c) { return answer(c, acme, handler); }});
}

}  // namespace

void add_acme_routes(Router& router, AcmeService& acme) {
    add(router, acme, http::verb::get, "directory", handle_acme_directory, Execution::io_thread);
    add(router, acme, http::verb::get, "new-nonce", handle_acme_new_nonce, Execution::io_thread);  // and HEAD
    const std::array<std::pair<std::string_view, AcmeHandler>, 11> posts{{
        {"new-account", handle_acme_new_account},
        {"new-order", handle_acme_new_order},
        {"revoke-cert", handle_acme_revoke},
        {"key-change", handle_acme_key_change},
        {"acct/{id}", handle_acme_account},
        {"orders/{id}", handle_acme_orders},
        {"order/{id}", handle_acme_order},
        {"authz/{id}", handle_acme_authorization},
        {"chall/{id}", handle_acme_challenge},
        {"finalize/{id}", handle_acme_finalize},
        {"cert/{id}", handle_acme_certificate},
    }};
    for (const auto& [tail, handler] : posts) {
        add(router, acme, http::verb::post, tail, handler);
        add(router, acme, http::verb::get, tail, refuse_get, Execution::io_thread);
    }
}

}  // namespace certfleet::server
