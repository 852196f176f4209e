#include "api/json_codec.hpp"

#include "api/json_fields.hpp"
#include "core/error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace certfleet::api {
namespace {

using nlohmann::json;

json to_json(const IssuedCertificate& v) {
    return {{"serial", v.serial},
            {"certificate_pem", v.certificate_pem},
            {"chain_pem", v.chain_pem},
            {"not_after", v.not_after}};
}

IssuedCertificate read_issued(const FieldReader& r) {
    return {.serial = r.text("serial"),
            .certificate_pem = r.text("certificate_pem"),
            .chain_pem = r.text("chain_pem", false),
            .not_after = r.text("not_after", false)};
}

TrackedCertificateReport read_tracked(const FieldReader& r) {
    return {.name = r.text("name"),
            .serial = r.text("serial", false),
            .not_after = r.text("not_after", false),
            .state = r.text("state", false),
            .targets = r.objects("targets", [](const FieldReader& t) {
                return DeployedTarget{.path = t.text("path"), .sha256 = t.text("sha256", false)};
            })};
}

}  // namespace

std::string encode(const ErrorBody& v) {
    return json{{"error", v.error}, {"message", v.message}, {"request_id", v.request_id}}.dump();
}

std::string encode(const HealthStatus& v) {
    json out{{"status", v.status}, {"version", v.version}};
    if (!v.detail.empty()) {
        out["detail"] = v.detail;
    }
    return out.dump();
}

std::string encode(const CaBundle& v) {
    return json{{"authority", v.authority},
                {"chain_pem", v.chain_pem},
                {"root_pem", v.root_pem},
                {"root_sha256", v.root_sha256}}
        .dump();
}

std::string encode(const EnrollRequest& v) {
    return json{{"token", v.token}, {"csr_pem", v.csr_pem}}.dump();
}

std::string encode(const CsrSubmission& v) {
    return json{{"csr_pem", v.csr_pem}}.dump();
}

std::string encode(const IssuedCertificate& v) {
    return to_json(v).dump();
}

std::string encode(const RequestStatus& v) {
    json out{{"id", v.id}, {"name", v.name}, {"state", v.state}, {"certificate", nullptr}};
    if (v.certificate) {
        out["certificate"] = to_json(*v.certificate);
    }
    if (!v.reason.empty()) {
        out["reason"] = v.reason;
    }
    return out.dump();
}

std::string encode(const Checkin& v) {
    json certificates = json::array();
    for (const auto& c : v.certificates) {
        json targets = json::array();
        for (const auto& t : c.targets) {
            targets.push_back({{"path", t.path}, {"sha256", t.sha256}});
        }
        certificates.push_back({{"name", c.name},
                                {"serial", c.serial},
                                {"not_after", c.not_after},
                                {"state", c.state},
                                {"targets", targets}});
    }
    return json{{"agent_version", v.agent_version}, {"certificates", certificates}}.dump();
}

std::string encode(const ActionList& v) {
    json actions = json::array();
    for (const auto& a : v.actions) {
        actions.push_back({{"id", a.id}, {"kind", a.kind}, {"argument", a.argument}});
    }
    return json{{"actions", actions}}.dump();
}

std::string encode(const ActionResult& v) {
    return json{{"outcome", v.outcome}, {"detail", v.detail}}.dump();
}

template <>
ErrorBody decode<ErrorBody>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    return {.error = r.text("error"),
            .message = r.text("message", false),
            .request_id = r.text("request_id", false)};
}

template <>
HealthStatus decode<HealthStatus>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    return {
        .status = r.text("status"), .version = r.text("version", false), .detail = r.text("detail", false)};
}

template <>
CaBundle decode<CaBundle>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    return {.authority = r.text("authority"),
            .chain_pem = r.texts("chain_pem"),
            .root_pem = r.text("root_pem"),
            .root_sha256 = r.text("root_sha256")};
}

template <>
EnrollRequest decode<EnrollRequest>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    return {.token = r.text("token"), .csr_pem = r.text("csr_pem")};
}

template <>
CsrSubmission decode<CsrSubmission>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    return {.csr_pem = r.text("csr_pem")};
}

template <>
IssuedCertificate decode<IssuedCertificate>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    return read_issued(FieldReader(value, std::string(source)));
}

template <>
RequestStatus decode<RequestStatus>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    RequestStatus out{.id = r.text("id"),
                      .name = r.text("name"),
                      .state = r.text("state"),
                      .reason = r.text("reason", false)};
    if (const json* certificate = r.optional_object("certificate")) {
        out.certificate = read_issued(FieldReader(*certificate, r.path("certificate")));
    }
    return out;
}

template <>
Checkin decode<Checkin>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    return {.agent_version = r.text("agent_version"),
            .certificates = r.objects("certificates", read_tracked)};
}

template <>
ActionList decode<ActionList>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    return {.actions = r.objects("actions", [](const FieldReader& a) {
        return NodeAction{.id = a.text("id"), .kind = a.text("kind"), .argument = a.text("argument", false)};
    })};
}

template <>
ActionResult decode<ActionResult>(std::string_view body, std::string_view source) {
    const json value = parse(body, source);
    const FieldReader r(value, std::string(source));
    ActionResult out{.outcome = r.text("outcome"), .detail = r.text("detail", false)};
    if (out.outcome != "succeeded" && out.outcome != "failed" && out.outcome != "refused") {
        throw core::Error(
            core::ErrorCode::invalid_input,
            fmt::format("{}: outcome: \"{}\" is not succeeded, failed or refused", source, out.outcome));
    }
    return out;
}

}  // namespace certfleet::api
