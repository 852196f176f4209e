#include "enrollment/request_queue.hpp"

#include "core/error.hpp"
#include "enrollment/autosign_executable.hpp"
#include "pki/object_reader.hpp"
#include "store/audit_log.hpp"

#include <fmt/format.h>

#include <charconv>

namespace certfleet::enrollment {
namespace {

using core::Error;
using core::ErrorCode;

std::string request_label(std::int64_t id) {
    return fmt::format("request:{}", id);
}

// The certificate a request got, with the chain as the authority hands it out (issuing CA up to, not
// including, the root; the root alone when it issues), from the generation that signed it.
authority::IssuedCertificate issued_certificate(store::Store& store, const std::string& serial_hex) {
    const auto record = store.find_certificate(serial_hex);
    if (!record) {
        throw Error(ErrorCode::internal,
                    fmt::format("certificate {} of a request is not in the store", serial_hex));
    }
    authority::IssuedCertificate issued{
        .certificate = pki::Certificate::from_der(record->der, "stored certificate"),
        .issuer_id = record->issuer_id};
    const auto authority = store.find_authority(record->authority);
    const store::IssuerRecord* issuer = authority ? authority->issuer_by_id(record->issuer_id) : nullptr;
    if (issuer != nullptr) {
        const auto chain = pki::read_certificates(issuer->chain_pem, "issuer chain");
        for (std::size_t i = 0; i < chain.size(); ++i) {
            if (chain.size() == 1 || i + 1 < chain.size()) {
                issued.chain_pem += chain[i].pem();
            }
        }
        if (!chain.empty()) {
            issued.root_pem = chain.back().pem();
        }
    }
    return issued;
}

RequestView view_of(store::Store& store, store::CertificateRequestRecord request) {
    RequestView view{.request = std::move(request)};
    if (view.request.state == store::RequestState::issued) {
        view.issued = issued_certificate(store, view.request.certificate_serial);
    }
    return view;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
        return std::nullopt;
    }
    return id;
}

// Records `request` as submitted (pending), with its audit entry; assigns its id.
void record_submission(store::Transaction& tx,
                       store::CertificateRequestRecord& request,
                       const pki::Csr& csr,
                       std::string_view source) {
    store::insert_certificate_request(tx, request);
    store::append_audit(tx,
                        {.at = request.submitted_at,
                         .actor = fmt::format("{}:{}", source, request.name),
                         .action = "request.submit",
                         .target = request_label(request.id),
                         .outcome = fmt::format("ok: {}", csr.subject()),
                         .authority = request.authority});
}

// Moves `request` from pending to issued with `certificate` in the certificate's own unit of work.
void mark_issued(store::Transaction& tx,
                 store::CertificateRequestRecord& request,
                 const store::CertificateRecord& certificate,
                 const store::Actor& actor) {
    const std::string reason = fmt::format("approved by {}", actor.name);
    if (!store::decide_certificate_request(tx,
                                           request.id,
                                           {.state = store::RequestState::issued,
                                            .certificate_serial = certificate.serial_hex,
                                            .reason = reason,
                                            .decided_by = actor.name,
                                            .at = actor.at})) {
        throw Error(ErrorCode::conflict,
                    fmt::format("request {} was decided by someone else meanwhile", request.id));
    }
    request.state = store::RequestState::issued;
    request.certificate_serial = certificate.serial_hex;
    request.reason = reason;
    request.decided_by = actor.name;
    request.decided_at = actor.at;
}

// A request the autosign rules sign without asking an executable: recorded, issued and decided in one
// unit of work, so it costs one durable commit, and no other request for its name can pend meanwhile.
RequestView sign_on_submission(const authority::Authority& ca,
                               const pki::Csr& csr,
                               store::CertificateRequestRecord request,
                               std::string_view source,
                               std::string reason) {
    const store::Actor actor{.name = "autosign", .at = request.submitted_at};
    authority::IssueRequest issue{
        .csr = &csr,
        .profile = request.profile,
        .requester = "autosign",
        .authorisation = {.basis = fmt::format("the request for {}, autosigned", request.name)}};
    issue.requester_in_unit = [&](store::Transaction& tx) {
        record_submission(tx, request, csr, source);
        return request_label(request.id);
    };
    issue.also_with_record = [&](store::Transaction& tx, const store::CertificateRecord& record) {
        mark_issued(tx, request, record, actor);
    };
    authority::IssuedCertificate issued = ca.issue(issue, actor.at);
    return {.request = std::move(request), .issued = std::move(issued), .autosign = std::move(reason)};
}

}  // namespace

std::string request_name(const pki::Csr& csr) {
    if (std::string cn = csr.subject_common_name(); !cn.empty()) {
        return cn;
    }
    for (const pki::GeneralName& name : csr.subject_alt_names()) {
        if (name.kind == pki::GeneralName::Kind::dns) {
            return name.value;
        }
    }
    throw Error(ErrorCode::invalid_input,
                "csr_pem: the CSR has no commonName and no DNS name to be known by");
}

RequestView submit_request(store::Store& store,
                           const authority::Authority& ca,
                           const pki::Csr& csr,
                           const QueueSettings& settings,
                           core::TimePoint now) {
    if (!csr.has_valid_signature()) {
        throw Error(ErrorCode::invalid_input,
                    "csr_pem: the signature does not verify with its own key (altered or corrupt)");
    }
    store::CertificateRequestRecord request{.authority = ca.name(),
                                            .name = request_name(csr),
                                            .csr_pem = csr.pem(),
                                            .profile = settings.profile,
                                            .source = settings.source,
                                            .submitted_at = now};
    AutosignDecision decision = judge_autosign(settings.autosign, request.name, challenge_password(csr));
    std::string refused;
    if (decision.verdict == AutosignVerdict::sign) {
        try {
            return sign_on_submission(ca, csr, request, settings.source, decision.reason);
        } catch (const Error& e) {
            if (e.code() != ErrorCode::forbidden && e.code() != ErrorCode::invalid_input) {
                throw;
            }
            refused = e.what();  // the authority's policy refused: the request waits for an operator
        }
    }
    store.commit([&](store::Transaction& tx) { record_submission(tx, request, csr, settings.source); });
    if (!refused.empty()) {
        return {.request = std::move(request),
                .autosign = fmt::format("{}, but the authority refused: {}", decision.reason, refused)};
    }
    if (decision.verdict == AutosignVerdict::ask_policy_executable) {
        const PolicyAnswer answer = ask_policy_executable(
            settings.autosign.policy_executable, request.name, request.csr_pem, settings.policy_timeout);
        decision = {
            answer.approved ? AutosignVerdict::sign : AutosignVerdict::queue,
            fmt::format(
                "autosign: {} {} says {}", settings.autosign.policy_executable, request.name, answer.detail)};
    }
    if (decision.verdict != AutosignVerdict::sign) {
        return {.request = std::move(request), .autosign = decision.reason};
    }
    try {
        RequestView view = approve_request(store, ca, request.id, {.name = "autosign", .at = now});
        view.autosign = decision.reason;
        return view;
    } catch (const Error& e) {
        if (e.code() != ErrorCode::forbidden && e.code() != ErrorCode::invalid_input) {
            throw;
        }
        return {.request = std::move(request),
                .autosign = fmt::format("{}, but the authority refused: {}", decision.reason, e.what())};
    }
}

RequestView find_request(store::Store& store, std::string_view authority, std::int64_t id) {
    auto request =
        store.read([&](store::Transaction& tx) { return store::find_certificate_request(tx, id); });
    if (!request || request->authority != authority) {
        throw Error(ErrorCode::not_found, fmt::format("no certificate request {}", id));
    }
    return view_of(store, std::move(*request));
}

store::CertificateRequestRecord pending_request(store::Store& store,
                                                std::string_view authority,
                                                std::string_view id_or_name) {
    if (const auto id = parse_id(id_or_name)) {
        auto request =
            store.read([&](store::Transaction& tx) { return store::find_certificate_request(tx, *id); });
        if (request && request->authority == authority) {
            return std::move(*request);
        }
    }
    auto named = store.read(
        [&](store::Transaction& tx) { return store::certificate_requests_named(tx, authority, id_or_name); });
    for (store::CertificateRequestRecord& request : named) {
        if (request.state == store::RequestState::pending) {
            return std::move(request);
        }
    }
    throw Error(ErrorCode::not_found,
                named.empty() ? fmt::format("no certificate request {}", id_or_name)
                              : fmt::format("{} has no pending request (its last one is {})",
                                            id_or_name,
                                            store::to_string(named.front().state)));
}

RequestView approve_request(store::Store& store,
                            const authority::Authority& ca,
                            std::int64_t id,
                            const store::Actor& actor) {
    RequestView view = find_request(store, ca.name(), id);
    store::CertificateRequestRecord& request = view.request;
    if (request.state != store::RequestState::pending) {
        throw Error(
            ErrorCode::conflict,
            fmt::format("request {} ({}) is {} already", id, request.name, store::to_string(request.state)));
    }
    const pki::Csr csr = pki::Csr::from_pem(request.csr_pem, fmt::format("request {}", id));
    authority::IssueRequest issue{
        .csr = &csr,
        .profile = request.profile,
        .requester = request_label(id),
        .authorisation = {.basis = fmt::format("request {} approved by {}", id, actor.name)}};
    issue.also_with_record = [&](store::Transaction& tx, const store::CertificateRecord& record) {
        mark_issued(tx, request, record, actor);
    };
    view.issued = ca.issue(issue, actor.at);
    return view;
}

store::CertificateRequestRecord deny_request(store::Store& store,
                                             std::string_view authority,
                                             std::int64_t id,
                                             std::string_view reason,
                                             const store::Actor& actor) {
    store::CertificateRequestRecord request = find_request(store, authority, id).request;
    const std::string why = reason.empty() ? fmt::format("denied by {}", actor.name) : std::string(reason);
    store.commit([&](store::Transaction& tx) {
        if (!store::decide_certificate_request(tx,
                                               id,
                                               {.state = store::RequestState::denied,
                                                .reason = why,
                                                .decided_by = actor.name,
                                                .at = actor.at})) {
            throw Error(ErrorCode::conflict,
                        fmt::format("request {} ({}) is no longer pending", id, request.name));
        }
        store::append_audit(tx,
                            {.at = actor.at,
                             .actor = actor.name,
                             .action = "request.deny",
                             .target = request_label(id),
                             .outcome = fmt::format("ok: {}: {}", request.name, why),
                             .authority = std::string(authority)});
    });
    request.state = store::RequestState::denied;
    request.reason = why;
    request.decided_by = actor.name;
    request.decided_at = actor.at;
    return request;
}

}  // namespace certfleet::enrollment
