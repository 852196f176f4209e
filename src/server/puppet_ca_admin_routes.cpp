// The Puppet CA API's management routes (puppetserver's certificate_status, certificate_statuses and
// certificate_renewal). Status routes need an admin certificate (server/admin_authorisation): a reader
// may GET, an operator or admin may PUT and DELETE; actions are audited as "admin:NAME" by the queue and
// the authority they call.

#include "core/error.hpp"
#include "enrollment/request_queue.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "puppet_ca/certificate_status.hpp"
#include "server/admin_authorisation.hpp"
#include "server/puppet_ca_answer.hpp"
#include "server/puppet_ca_routes.hpp"
#include "server/renew_handler.hpp"
#include "store/request_records.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <set>

namespace certfleet::server {
namespace {

using core::Error;
using core::ErrorCode;
using puppet_ca::CertificateState;
using puppet_ca::CertificateStatus;
using store::AdminRole;

constexpr std::string_view base = "/puppet-ca/v1";

// What the store holds about one certname of the authority.
struct CertnameRecords {
    std::vector<store::CertificateRecord> certificates;  ///< CN=certname, oldest first
    std::optional<store::CertificateRequestRecord> pending;
};

CertnameRecords records_of(const PuppetCaContext& c, std::string_view certname) {
    CertnameRecords found;
    for (store::CertificateRecord& r : c.store->certificates_with_subject(fmt::format("CN={}", certname))) {
        if (r.authority == c.ca->name()) {
            found.certificates.push_back(std::move(r));
        }
    }
    for (store::CertificateRequestRecord& r : c.store->read([&](store::Transaction& tx) {
             return store::certificate_requests_named(tx, c.ca->name(), certname);
         })) {
        if (r.state == store::RequestState::pending) {
            found.pending = std::move(r);
            break;
        }
    }
    return found;
}

Error unknown_certname() {
    return {ErrorCode::not_found, "Invalid certificate subject."};
}

CertificateStatus status_of_certificate(const store::CertificateRecord& r, std::string_view certname) {
    return {.name = std::string(certname),
            .state = r.status == store::CertificateStatus::revoked ? CertificateState::revoked
                                                                   : CertificateState::signed_,
            .der = r.der,
            .subject_alt_names = r.subject_alt_names,
            .serial_hex = r.serial_hex,
            .not_before = r.not_before,
            .not_after = r.not_after};
}

// puppetserver's state of a certname: its valid certificate; else its pending request; else its newest
// certificate (revoked, or expired and still "signed").
std::optional<CertificateStatus> status_of(const CertnameRecords& records,
                                           std::string_view certname,
                                           core::TimePoint now) {
    // NOLINTNEXTLINE(modernize-loop-convert): clang 14 cannot compile std::views::reverse (docs/style.md)
    for (auto r = records.certificates.rbegin(); r != records.certificates.rend(); ++r) {
        if (r->status != store::CertificateStatus::revoked && r->not_after > now) {
            return status_of_certificate(*r, certname);
        }
    }
    if (records.pending) {
        const pki::Csr csr = pki::Csr::from_pem(records.pending->csr_pem, "stored request");
        CertificateStatus status{.name = std::string(certname), .der = csr.der()};
        for (const pki::GeneralName& name : csr.subject_alt_names()) {
            status.subject_alt_names.push_back(pki::to_string(name));
        }
        return status;
    }
    if (!records.certificates.empty()) {
        return status_of_certificate(records.certificates.back(), certname);
    }
    return std::nullopt;
}

AdminIdentity admin_of(const PuppetCaContext& c,
                       const RequestContext& r,
                       AdminRole role,
                       std::string_view action) {
    return authorise_admin(
        r.caller, *c.store, {.authority = c.ca->name(), .role = role, .action = action}, c.clock->now());
}

HttpResponse json_text(std::string body) {
    HttpResponse response{http::status::ok, 11};
    response.set(http::field::content_type, "application/json");
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

HttpResponse no_content() {
    HttpResponse response{http::status::no_content, 11};
    response.prepare_payload();
    return response;
}

HttpResponse get_status(const PuppetCaContext& c, const RequestContext& r) {
    admin_of(c, r, AdminRole::reader, "read certificate statuses");
    puppet_ca::require_valid_certname(r.parameter);
    const auto status = status_of(records_of(c, r.parameter), r.parameter, c.clock->now());
    if (!status) {
        throw unknown_certname();
    }
    return json_text(puppet_ca::status_json(*status));
}

HttpResponse get_statuses(const PuppetCaContext& c, const RequestContext& r) {
    admin_of(c, r, AdminRole::reader, "read certificate statuses");
    const std::optional<std::string> wanted = r.query_parameter("state");
    if (wanted && *wanted != "requested" && *wanted != "signed" && *wanted != "revoked") {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("state={}: requested, signed or revoked expected", *wanted));
    }
    // Certnames: the subjects that are exactly CN=<valid certname>, and the pending requests.
    std::set<std::string> names;
    for (const store::CertificateRecord& record : c.store->list_certificates({.authority = c.ca->name()})) {
        if (record.subject.rfind("CN=", 0) == 0 && record.subject.find(',') == std::string::npos) {
            names.insert(record.subject.substr(3));
        }
    }
    for (const store::CertificateRequestRecord& request : c.store->read([&](store::Transaction& tx) {
             return store::list_certificate_requests(tx, c.ca->name(), false);
         })) {
        names.insert(request.name);
    }
    std::vector<CertificateStatus> statuses;
    const core::TimePoint now = c.clock->now();
    for (const std::string& name : names) {
        auto status = status_of(records_of(c, name), name, now);
        if (status && (!wanted || *wanted == puppet_ca::to_string(status->state))) {
            statuses.push_back(std::move(*status));
        }
    }
    return json_text(puppet_ca::statuses_json(statuses));
}

// Revokes every unrevoked certificate of the certname (a new CRL is signed at once); returns how many.
std::size_t revoke_all(const PuppetCaContext& c, const CertnameRecords& records, const store::Actor& actor) {
    std::size_t revoked = 0;
    for (const store::CertificateRecord& record : records.certificates) {
        if (record.status != store::CertificateStatus::revoked) {
            c.ca->revoke(record.serial_hex, authority::RevocationReason::unspecified, actor, c.crl_validity);
            ++revoked;
        }
    }
    return revoked;
}

HttpResponse put_status(const PuppetCaContext& c, const RequestContext& r) {
    const std::string& certname = r.parameter;
    const AdminIdentity admin = admin_of(c, r, AdminRole::operator_, "change certificate statuses");
    puppet_ca::require_valid_certname(certname);
    const CertificateState desired = puppet_ca::parse_desired_state(r.request->body(), certname);
    const CertnameRecords records = records_of(c, certname);
    const store::Actor actor{.name = admin.actor(), .at = c.clock->now()};
    if (desired == CertificateState::signed_) {
        if (!records.pending) {
            if (records.certificates.empty()) {
                throw unknown_certname();
            }
            throw Error(
                ErrorCode::conflict,
                fmt::format("Cannot sign certificate for host {} without a certificate request", certname));
        }
        const enrollment::RequestView view =
            enrollment::approve_request(*c.store, *c.ca, records.pending->id, actor);
        // The queue records who decided; the audit log says it too, as for every admin action.
        c.store->append_audit({.at = actor.at,
                               .actor = actor.name,
                               .action = "request.approve",
                               .target = fmt::format("request {} {}", view.request.id, certname),
                               .outcome = fmt::format("ok: serial {}", view.request.certificate_serial),
                               .authority = c.ca->name()});
        spdlog::info("request_id={} certificate_request={} name={} signed serial={} by {}",
                     r.request_id,
                     view.request.id,
                     certname,
                     view.request.certificate_serial,
                     actor.name);
        return no_content();
    }
    if (revoke_all(c, records, actor) == 0) {
        if (!records.pending && records.certificates.empty()) {
            throw unknown_certname();
        }
        throw Error(
            ErrorCode::conflict,
            fmt::format("Cannot revoke certificate for host {} without a signed certificate", certname));
    }
    spdlog::info("request_id={} name={} revoked by {}", r.request_id, certname, actor.name);
    return no_content();
}

HttpResponse delete_status(const PuppetCaContext& c, const RequestContext& r) {
    const std::string& certname = r.parameter;
    const AdminIdentity admin = admin_of(c, r, AdminRole::operator_, "delete certificate statuses");
    puppet_ca::require_valid_certname(certname);
    const CertnameRecords records = records_of(c, certname);
    const store::Actor actor{.name = admin.actor(), .at = c.clock->now()};
    bool changed = false;
    if (records.pending) {
        enrollment::deny_request(*c.store,
                                 c.ca->name(),
                                 records.pending->id,
                                 fmt::format("deleted (certificate_status DELETE) by {}", actor.name),
                                 actor);
        changed = true;
    }
    changed = revoke_all(c, records, actor) > 0 || changed;
    if (!changed && records.certificates.empty()) {
        throw unknown_certname();
    }
    spdlog::info("request_id={} name={} deleted by {}", r.request_id, certname, actor.name);
    return no_content();
}

HttpResponse post_renewal(const PuppetCaContext& c, const RequestContext& r) {
    // The route needs a client certificate, authenticated (issued here, unexpired, unrevoked) before this.
    const ClientCertificate& caller = r.caller.certificate.value();
    if (r.request->body().empty()) {
        throw Error(
            ErrorCode::invalid_input,
            "certificate_renewal: the body must be a CSR (PEM) with the client certificate's subject; "
            "certfleet does not renew without proof of possession of a key");
    }
    const pki::Csr csr = pki::Csr::from_pem(r.request->body(), "certificate_renewal body");
    const authority::IssuedCertificate issued =
        renew_client_certificate(caller, csr, *c.store, *c.ca, c.clock->now());
    spdlog::info("request_id={} certificate_renewal of {} serial={} new serial={}",
                 r.request_id,
                 caller.common_name,
                 caller.serial_hex,
                 issued.certificate.serial_hex());
    return puppet_text(http::status::ok, issued.certificate.pem());
}

}  // namespace

void add_puppet_ca_admin_routes(Router& router, const PuppetCaContext& context) {
    const PuppetCaContext* c = &context;
    const auto add = [&](http::verb method,
                         std::string_view path,
                         HttpResponse (*handle)(const PuppetCaContext&, const RequestContext&)) {
        router.add({.method = method,
                    .pattern = fmt::format("{}/{}", base, path),
                    .access = Access::client_certificate,
                    .handler = [c, handle](const RequestContext& r) {
                        return puppet_answer(r, true, [&] { return handle(*c, r); });
                    }});
    };
    add(http::verb::get, "certificate_status/{id}", get_status);
    add(http::verb::put, "certificate_status/{id}", put_status);
    add(http::verb::delete_, "certificate_status/{id}", delete_status);
    add(http::verb::get, "certificate_statuses/{id}", get_statuses);
    add(http::verb::post, "certificate_renewal", post_renewal);
}

}  // namespace certfleet::server
