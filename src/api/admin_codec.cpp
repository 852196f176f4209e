// The JSON of the admin wire types (api/admin_messages.hpp); decode<T> is declared in json_codec.hpp.

#include "api/admin_messages.hpp"
#include "api/json_codec.hpp"
#include "api/json_fields.hpp"

#include <utility>

namespace certfleet::api {
namespace {

using nlohmann::json;

RequestSummary read_request(const FieldReader& r) {
    return {.id = r.integer("id"),
            .name = r.text("name"),
            .names = r.text("names", false),
            .state = r.text("state"),
            .source = r.text("source", false),
            .profile = r.text("profile", false),
            .submitted_at = r.text("submitted_at", false),
            .decided_at = r.text("decided_at", false),
            .decided_by = r.text("decided_by", false),
            .reason = r.text("reason", false),
            .serial = r.text("serial", false),
            .expires = r.text("expires", false)};
}

NodeCertificate read_node_certificate(const FieldReader& r) {
    return {.name = r.text("name"),
            .serial = r.text("serial", false),
            .state = r.text("state", false),
            .expires = r.text("expires", false),
            .subject = r.text("subject", false),
            .issuer = r.text("issuer", false),
            .key = r.text("key", false),
            .signature_algorithm = r.text("signature_algorithm", false),
            .activated = r.text("activated", false),
            .sha1_fingerprint = r.text("sha1_fingerprint", false)};
}

NodeSummary read_node(const FieldReader& r) {
    return {.name = r.text("name"),
            .connected = r.flag("connected"),
            .last_seen = r.text("last_seen", false),
            .agent_version = r.text("agent_version", false),
            .client_serial = r.text("client_serial", false),
            .certificates = r.objects("certificates", read_node_certificate)};
}

NodeActionStatus read_action(const FieldReader& r) {
    return {.id = r.integer("id"),
            .node = r.text("node"),
            .kind = r.text("kind"),
            .argument = r.text("argument", false),
            .state = r.text("state"),
            .result = r.text("result", false)};
}

}  // namespace

json to_json(const RequestSummary& v) {
    json out{{"id", v.id},
             {"name", v.name},
             {"names", v.names},
             {"state", v.state},
             {"source", v.source},
             {"profile", v.profile},
             {"submitted_at", v.submitted_at},
             {"decided_at", v.decided_at.empty() ? json() : json(v.decided_at)},
             {"decided_by", v.decided_by},
             {"reason", v.reason},
             {"serial", v.serial}};
    if (!v.expires.empty()) {
        out["expires"] = v.expires;
    }
    return out;
}

json to_json(const NodeSummary& v) {
    json certificates = json::array();
    for (const NodeCertificate& c : v.certificates) {
        json out{{"name", c.name}, {"serial", c.serial}, {"state", c.state}, {"expires", c.expires}};
        for (const auto& [field, value] : {std::pair{"subject", &c.subject},
                                           std::pair{"issuer", &c.issuer},
                                           std::pair{"key", &c.key},
                                           std::pair{"signature_algorithm", &c.signature_algorithm},
                                           std::pair{"activated", &c.activated},
                                           std::pair{"sha1_fingerprint", &c.sha1_fingerprint}}) {
            if (!value->empty()) {
                out[field] = *value;
            }
        }
        certificates.push_back(std::move(out));
    }
    return {{"name", v.name},
            {"connected", v.connected},
            {"last_seen", v.last_seen},
            {"agent_version", v.agent_version},
            {"client_serial", v.client_serial},
            {"certificates", certificates}};
}

json to_json(const NodeActionStatus& v) {
    return {{"id", v.id},
            {"node", v.node},
            {"kind", v.kind},
            {"argument", v.argument},
            {"state", v.state},
            {"result", v.result}};
}

json to_json(const TokenGrant& v) {
    return {{"token", std::string(v.token.reveal())},
            {"id", v.id},
            {"authority", v.authority},
            {"names", v.names},
            {"profile", v.profile},
            {"expires_at", v.expires_at}};
}

std::string encode(const RequestList& v) {
    json requests = json::array();
    for (const RequestSummary& r : v.requests) {
        requests.push_back(to_json(r));
    }
    return json{{"requests", requests}}.dump();
}

std::string encode(const RequestSummary& v) {
    return to_json(v).dump();
}

std::string encode(const RequestDecision& v) {
    json out{{"request", v.request}, {"all", v.all}};
    if (!v.reason.empty()) {
        out["reason"] = v.reason;
    }
    return out.dump();
}

std::string encode(const NodeList& v) {
    json nodes = json::array();
    for (const NodeSummary& n : v.nodes) {
        nodes.push_back(to_json(n));
    }
    return json{{"nodes", nodes}}.dump();
}

std::string encode(const NodeActionRequest& v) {
    return json{{"node", v.node}, {"kind", v.kind}, {"argument", v.argument}}.dump();
}

std::string encode(const NodeActionStatus& v) {
    return to_json(v).dump();
}

std::string encode(const TokenRequest& v) {
    return json{{"names", v.names}, {"profile", v.profile}, {"ttl_seconds", v.ttl_seconds}}.dump();
}

std::string encode(const TokenGrant& v) {
    return to_json(v).dump();
}

template <>
RequestList decode<RequestList>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    return {.requests = FieldReader(value, std::string(source)).objects("requests", read_request)};
}

template <>
RequestSummary decode<RequestSummary>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    return read_request(FieldReader(value, std::string(source)));
}

template <>
RequestDecision decode<RequestDecision>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    return {.request = r.text("request", false), .all = r.flag("all"), .reason = r.text("reason", false)};
}

template <>
NodeList decode<NodeList>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    return {.nodes = FieldReader(value, std::string(source)).objects("nodes", read_node)};
}

template <>
NodeActionRequest decode<NodeActionRequest>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    return {.node = r.text("node"), .kind = r.text("kind"), .argument = r.text("argument", false)};
}

template <>
NodeActionStatus decode<NodeActionStatus>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    return read_action(FieldReader(value, std::string(source)));
}

template <>
TokenRequest decode<TokenRequest>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    TokenRequest out{.names = r.texts("names"), .profile = r.text("profile", false)};
    if (out.profile.empty()) {
        out.profile = "peer";
    }
    if (const std::int64_t ttl = r.integer("ttl_seconds", false); ttl != 0) {
        out.ttl_seconds = ttl;
    }
    return out;
}

template <>
TokenGrant decode<TokenGrant>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    return {.token = core::Secret(r.text("token")),
            .id = r.text("id"),
            .authority = r.text("authority"),
            .names = r.texts("names"),
            .profile = r.text("profile", false),
            .expires_at = r.text("expires_at", false)};
}

}  // namespace certfleet::api
