#include "server/puppet_ca_routes.hpp"

#include "core/error.hpp"
#include "pki/certificate.hpp"
#include "pki/pem_reader.hpp"
#include "server/puppet_ca_answer.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <ctime>

namespace certfleet::server {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view base = "/puppet-ca/v1";

std::string http_date(core::TimePoint at) {
    const std::time_t seconds =
        std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::array<char, 64> out{};
    const std::size_t n = std::strftime(out.data(), out.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
    return {out.data(), n};
}

std::optional<core::TimePoint> parse_http_date(std::string_view value) {
    std::tm utc{};
    const std::string text_value(value);
    const char* end = strptime(text_value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
    if (end == nullptr || *end != '\0') {
        return std::nullopt;
    }
    return core::TimePoint(std::chrono::seconds(timegm(&utc)));
}

HttpResponse get_certificate(const PuppetCaContext& c, const RequestContext& request) {
    if (request.parameter == "ca") {
        std::string bundle;
        for (const pki::Certificate& certificate : c.ca->chain()) {
            bundle += certificate.pem();
        }
        return puppet_text(http::status::ok, std::move(bundle));
    }
    puppet_ca::require_valid_certname(request.parameter);
    const auto record = signed_certificate(*c.store, c.ca->name(), request.parameter, c.clock->now());
    if (!record) {
        throw Error(ErrorCode::not_found, fmt::format("Could not find certificate {}", request.parameter));
    }
    return puppet_text(http::status::ok, pki::write_pem("CERTIFICATE", record->der));
}

HttpResponse get_crl(const PuppetCaContext& c, const RequestContext& request) {
    if (request.parameter != "ca") {
        throw Error(ErrorCode::not_found,
                    fmt::format("Could not find certificate_revocation_list {}", request.parameter));
    }
    // One CRL per CA of the bundle: the issuing CA's and, above an intermediate, the root's (signed with
    // it whenever the store keeps the root key), for the agent's default certificate_revocation=chain.
    const store::CrlRecord issuer = c.crl->current(c.clock->now());
    std::string body = pki::write_pem("X509 CRL", issuer.der);
    core::TimePoint modified = issuer.this_update;
    if (c.ca->chain().size() > 1) {
        if (const auto root = c.store->latest_crl(c.crl->issuer_id(), store::CrlSigner::root)) {
            body += pki::write_pem("X509 CRL", root->der);
            modified = std::max(modified, root->this_update);
        }
    }
    if (const auto since = request.request->find(http::field::if_modified_since);
        since != request.request->end()) {
        if (const auto at = parse_http_date(to_std(since->value())); at && modified <= *at) {
            HttpResponse not_modified{http::status::not_modified, 11};
            not_modified.prepare_payload();
            return not_modified;
        }
    }
    HttpResponse response = puppet_text(http::status::ok, std::move(body));
    response.set(http::field::last_modified, http_date(modified));
    return response;
}

HttpResponse put_certificate_request(const PuppetCaContext& c, const RequestContext& request) {
    const std::string& certname = request.parameter;
    puppet_ca::require_valid_certname(certname);
    const pki::Csr csr =
        pki::Csr::from_pem(request.request->body(), fmt::format("certificate_request/{}", certname));
    puppet_ca::check_agent_csr(csr, certname, c.csr_rules);
    const core::TimePoint now = c.clock->now();
    if (signed_certificate(*c.store, c.ca->name(), certname, now)) {
        throw Error(
            ErrorCode::conflict,
            fmt::format("{} already has a signed certificate; ignoring certificate request", certname));
    }
    try {
        const enrollment::RequestView view = enrollment::submit_request(*c.store, *c.ca, csr, c.queue, now);
        spdlog::info("request_id={} certificate_request={} name={} source=puppet state={} {}",
                     request.request_id,
                     view.request.id,
                     view.request.name,
                     store::to_string(view.request.state),
                     view.autosign);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::conflict) {
            throw Error(ErrorCode::conflict,
                        fmt::format("{} already has a requested certificate; ignoring certificate request",
                                    certname));
        }
        throw;
    }
    return puppet_text(http::status::ok, "");
}

}  // namespace

void add_puppet_ca_routes(Router& router, const PuppetCaContext& context) {
    const PuppetCaContext* c = &context;
    router.add({.method = http::verb::get,
                .pattern = fmt::format("{}/certificate/{{id}}", base),
                .handler = [c](const RequestContext& r) {
                    return puppet_answer(r, false, [&] { return get_certificate(*c, r); });
                }});
    router.add({.method = http::verb::get,
                .pattern = fmt::format("{}/certificate_revocation_list/{{id}}", base),
                .handler = [c](const RequestContext& r) {
                    return puppet_answer(r, false, [&] { return get_crl(*c, r); });
                }});
    router.add({.method = http::verb::put,
                .pattern = fmt::format("{}/certificate_request/{{id}}", base),
                .handler = [c](const RequestContext& r) {
                    return puppet_answer(r, false, [&] { return put_certificate_request(*c, r); });
                }});
    add_puppet_ca_admin_routes(router, context);
}

}  // namespace certfleet::server
