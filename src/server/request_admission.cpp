#include "server/request_admission.hpp"

#include "core/error.hpp"
#include "pki/certificate.hpp"
#include "server/error_response.hpp"
#include "server/router.hpp"
#include "server/server_core.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

namespace certfleet::server {
namespace {

using core::Error;
using core::ErrorCode;

bool allows_client_auth(const pki::Certificate& certificate) {
    const std::vector<pki::ExtendedKeyUsage> usages = certificate.extended_key_usage();
    return usages.empty() || std::any_of(usages.begin(), usages.end(), [](const pki::ExtendedKeyUsage& u) {
               return u.short_name == "clientAuth" || u.short_name == "anyExtendedKeyUsage";
           });
}

}  // namespace

std::string new_request_id() {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    return fmt::format("{:016x}", generator());
}

std::string request_id_for(const HttpRequest& request) {
    const auto it = request.find(to_beast(api::request_id_header));
    if (it != request.end()) {
        const std::string_view value = to_std(it->value());
        const bool tidy = !value.empty() && value.size() <= 64 &&
                          value.find_first_not_of(
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                              "0123456789._-") == std::string_view::npos;
        if (tidy) {
            return std::string(value);
        }
    }
    return new_request_id();
}

std::optional<ClientCertificate> peer_certificate(SSL* ssl) {
    pki::X509Ptr x509(SSL_get1_peer_certificate(ssl));
    if (!x509) {
        return std::nullopt;
    }
    try {
        const pki::Certificate certificate = pki::Certificate::from_x509(std::move(x509));
        return ClientCertificate{.serial_hex = certificate.serial_hex(),
                                 .subject = certificate.subject(),
                                 .common_name = certificate.subject_common_name(),
                                 .client_auth = allows_client_auth(certificate),
                                 .not_after = certificate.not_after()};
    } catch (const Error&) {
        return ClientCertificate{};  // unreadable dates: authenticate() refuses an empty serial
    }
}

void check_client_version(const HttpRequest& request, const api::Version& minimum) {
    const auto it = request.find(to_beast(api::version_header));
    if (it == request.end()) {
        return;  // curl and other generic clients send none
    }
    const std::string_view text = to_std(it->value());
    const auto version = api::parse_version(text);
    if (!version) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("header {}: \"{}\" is not a version (MAJOR.MINOR.PATCH)", api::version_header, text));
    }
    if (*version < minimum) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("client version {} is older than {}, the oldest this server accepts: upgrade it",
                        api::to_string(*version),
                        api::to_string(minimum)));
    }
}

HttpResponse run_handler(const Route& route, const RequestContext& context, ServerCore& core) {
    try {
        if (context.caller.certificate) {
            core.authenticate(*context.caller.certificate);
        }
        return route.handler(context);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::internal) {
            spdlog::error("request_id={} internal error: {}", context.request_id, e.what());
            return error_response(e.code(), "internal error (see the server log)", context.request_id);
        }
        return error_response(e.code(), e.what(), context.request_id);
    } catch (const std::exception& e) {
        spdlog::error("request_id={} internal error: {}", context.request_id, e.what());
        return error_response(ErrorCode::internal, "internal error (see the server log)", context.request_id);
    }
}

}  // namespace certfleet::server
