#include "enrollment/fleet_administration.hpp"

#include "api/json_codec.hpp"
#include "authority/ledger.hpp"
#include "core/error.hpp"
#include "core/utc_time.hpp"
#include "enrollment/node_presence.hpp"
#include "enrollment/request_queue.hpp"
#include "enrollment/token_enrollment.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "store/audit_log.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::enrollment {
namespace {

using core::Error;
using core::ErrorCode;

std::string seen(const std::optional<core::TimePoint>& at) {
    return at ? core::format_time(*at) : "never";
}

std::string requested_names_of(const store::CertificateRequestRecord& request) {
    std::string names;
    try {
        for (const pki::GeneralName& name :
             requested_names(pki::Csr::from_pem(request.csr_pem, "stored request"))) {
            names += (names.empty() ? "" : ",") + pki::to_string(name);
        }
    } catch (const core::Error&) {
        names = "?";
    }
    return names;
}

// What seed 001's `status` shows for one certificate, read from the ledger by the serial the node
// reported; the node's report alone when the ledger does not know it.
api::NodeCertificate node_certificate(authority::Ledger& ledger,
                                      const api::TrackedCertificateReport& reported) {
    api::NodeCertificate out{.name = reported.name,
                             .serial = reported.serial,
                             .state = reported.state,
                             .expires = reported.not_after};
    if (const auto record = ledger.find(reported.serial)) {
        const pki::Certificate c = pki::Certificate::from_der(record->der, "ledger");
        out.subject = c.subject();
        out.issuer = c.issuer();
        out.key = pki::to_string(c.key_description());
        out.signature_algorithm = c.signature_algorithm();
        out.activated = core::format_time(c.not_before());
        out.expires = core::format_time(c.not_after());
        out.sha1_fingerprint = c.fingerprint(pki::DigestAlgorithm::sha1);
    }
    return out;
}

api::NodeActionStatus action_status(const store::NodeActionRecord& a) {
    return {.id = a.id,
            .node = a.node,
            .kind = a.kind,
            .argument = a.argument,
            .state = a.state,
            .result = a.result};
}

}  // namespace

api::RequestSummary request_summary(const store::CertificateRequestRecord& r) {
    return {.id = r.id,
            .name = r.name,
            .names = requested_names_of(r),
            .state = std::string(store::to_string(r.state)),
            .source = r.source,
            .profile = r.profile,
            .submitted_at = core::format_time(r.submitted_at),
            .decided_at = r.decided_at ? core::format_time(*r.decided_at) : "",
            .decided_by = r.decided_by,
            .reason = r.reason,
            .serial = r.certificate_serial};
}

api::RequestList list_requests(store::Store& store, std::string_view authority, bool all) {
    api::RequestList out;
    for (const store::CertificateRequestRecord& r : store.read(
             [&](store::Transaction& tx) { return store::list_certificate_requests(tx, authority, all); })) {
        out.requests.push_back(request_summary(r));
    }
    return out;
}

api::RequestList approve_requests(store::Store& store,
                                  const authority::Authority& ca,
                                  const api::RequestDecision& decision,
                                  const store::Actor& actor) {
    if (decision.all == !decision.request.empty()) {
        throw Error(ErrorCode::invalid_input, "request approve: give one ID or NAME, or --all");
    }
    std::vector<std::int64_t> ids;
    if (decision.all) {
        for (const auto& r : store.read([&](store::Transaction& tx) {
                 return store::list_certificate_requests(tx, ca.name(), false);
             })) {
            ids.push_back(r.id);
        }
    } else {
        ids.push_back(pending_request(store, ca.name(), decision.request).id);
    }
    api::RequestList out;
    for (const std::int64_t id : ids) {
        const RequestView view = approve_request(store, ca, id, actor);
        store.append_audit({.at = actor.at,
                            .actor = actor.name,
                            .action = "request.approve",
                            .target = fmt::format("request {} {}", id, view.request.name),
                            .outcome = fmt::format("ok: serial {}", view.request.certificate_serial),
                            .authority = ca.name()});
        api::RequestSummary summary = request_summary(view.request);
        if (view.issued) {
            summary.expires = core::format_time(view.issued->certificate.not_after());
        }
        out.requests.push_back(std::move(summary));
    }
    return out;
}

api::RequestSummary deny_pending_request(store::Store& store,
                                         std::string_view authority,
                                         const api::RequestDecision& decision,
                                         const store::Actor& actor) {
    if (decision.request.empty()) {
        throw Error(ErrorCode::invalid_input, "request deny: give the ID or NAME of a pending request");
    }
    const std::int64_t id = pending_request(store, authority, decision.request).id;
    return request_summary(deny_request(store, authority, id, decision.reason, actor));
}

api::NodeList list_nodes(store::Store& store, std::string_view authority, core::TimePoint now) {
    const auto nodes = store.read([&](store::Transaction& tx) { return store::list_nodes(tx, authority); });
    authority::Ledger ledger(store);
    api::NodeList out;
    for (const store::NodeRecord& node : nodes) {
        api::NodeSummary summary{.name = node.name,
                                 .connected = is_connected(node.last_poll_at, now),
                                 .last_seen = seen(std::max(node.last_poll_at, node.last_checkin_at)),
                                 .agent_version = node.agent_version,
                                 .client_serial = node.serial};
        if (!node.report.empty()) {
            for (const auto& c : api::decode<api::Checkin>(node.report, "stored check-in").certificates) {
                summary.certificates.push_back(node_certificate(ledger, c));
            }
        }
        out.nodes.push_back(std::move(summary));
    }
    return out;
}

api::NodeActionStatus queue_node_action(store::Store& store,
                                        std::string_view authority,
                                        const api::NodeActionRequest& request,
                                        const store::Actor& actor) {
    store::NodeActionRecord action{.authority = std::string(authority),
                                   .node = request.node,
                                   .kind = std::string(to_string(parse_action_kind(request.kind, "kind"))),
                                   .argument = request.argument,
                                   .requested_by = actor.name,
                                   .created_at = actor.at};
    store.commit([&](store::Transaction& tx) {
        const auto node = store::find_node(tx, authority, request.node);
        if (!node) {
            throw Error(ErrorCode::not_found,
                        fmt::format("No node {} has reached authority \"{}\" (certfleet node list)",
                                    request.node,
                                    authority));
        }
        if (!is_connected(node->last_poll_at, actor.at)) {
            throw Error(
                ErrorCode::unavailable,
                fmt::format("No connection with {} (last poll {}): its agent is not running or cannot "
                            "reach the server",
                            request.node,
                            seen(node->last_poll_at)));
        }
        store::insert_node_action(tx, action);
        store::append_audit(
            tx,
            {.at = action.created_at,
             .actor = action.requested_by,
             .action = "node.action.queue",
             .target =
                 fmt::format("{} action {} {} {}", request.node, action.id, action.kind, request.argument),
             .outcome = "ok",
             .authority = std::string(authority)});
    });
    return action_status(action);
}

api::NodeActionStatus node_action(store::Store& store, std::string_view authority, std::int64_t id) {
    const auto action =
        store.read([&](store::Transaction& tx) { return store::find_node_action(tx, authority, id); });
    if (!action) {
        throw Error(ErrorCode::not_found,
                    fmt::format("no node action {} of authority \"{}\"", id, authority));
    }
    return action_status(*action);
}

api::TokenGrant grant_token(store::Store& store,
                            std::string_view authority,
                            const api::TokenRequest& request,
                            const store::Actor& actor) {
    std::vector<pki::GeneralName> names;
    for (std::size_t i = 0; i < request.names.size(); ++i) {
        pki::GeneralName name = pki::parse_general_name(request.names[i], fmt::format("names[{}]", i));
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(std::move(name));
        }
    }
    const core::Seconds ttl{request.ttl_seconds};
    NewToken token = create_token(store,
                                  {.authority = std::string(authority),
                                   .names = names,
                                   .profile = request.profile,
                                   .ttl = ttl,
                                   .created_by = actor.name},
                                  actor.at);
    api::TokenGrant out{.token = std::move(token.token),
                        .id = token.hash.substr(0, 12),
                        .authority = std::string(authority),
                        .profile = request.profile,
                        .expires_at = core::format_time(core::add_checked(actor.at, ttl, "ttl"))};
    for (const pki::GeneralName& name : names) {
        out.names.push_back(pki::to_string(name));
    }
    return out;
}

}  // namespace certfleet::enrollment
