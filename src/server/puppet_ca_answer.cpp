#include "server/puppet_ca_answer.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace certfleet::server {
namespace {

using core::ErrorCode;

// Puppet's agent reads only the status of a refusal; the body says why in puppetserver's words.
http::status status_of(ErrorCode code, bool conflict_is_409) {
    switch (code) {
        case ErrorCode::invalid_input:
            return http::status::bad_request;
        case ErrorCode::conflict:
            return conflict_is_409 ? http::status::conflict : http::status::bad_request;
        case ErrorCode::not_found:
            return http::status::not_found;
        case ErrorCode::unauthenticated:
            return http::status::unauthorized;
        case ErrorCode::forbidden:
            return http::status::forbidden;
        case ErrorCode::unavailable:
            return http::status::service_unavailable;
        case ErrorCode::internal:
            break;
    }
    return http::status::internal_server_error;
}

}  // namespace

HttpResponse puppet_text(http::status status, std::string body) {
    HttpResponse response{status, 11};
    response.set(http::field::content_type, "text/plain");
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

HttpResponse puppet_refusal(const RequestContext& context, const core::Error& error, bool conflict_is_409) {
    if (error.code() == ErrorCode::internal) {
        spdlog::error("request_id={} internal error: {}", context.request_id, error.what());
        return puppet_text(http::status::internal_server_error, "internal error (see the server log)");
    }
    return puppet_text(status_of(error.code(), conflict_is_409), error.what());
}

std::optional<store::CertificateRecord> signed_certificate(store::Store& store,
                                                           std::string_view authority,
                                                           std::string_view certname,
                                                           core::TimePoint now) {
    std::optional<store::CertificateRecord> newest;
    for (store::CertificateRecord& record : store.certificates_with_subject(fmt::format("CN={}", certname))) {
        if (record.authority == authority && record.status != store::CertificateStatus::revoked &&
            record.not_after > now) {
            newest = std::move(record);
        }
    }
    return newest;
}

}  // namespace certfleet::server
