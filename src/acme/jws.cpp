#include "acme/jws.hpp"

#include "acme/base64url.hpp"

#include <fmt/format.h>

namespace certfleet::acme {
namespace {

Problem malformed(std::string detail) {
    return {.type = ProblemType::malformed, .detail = std::move(detail)};
}

std::optional<JwsAlgorithm> algorithm_named(std::string_view name) {
    for (const JwsAlgorithm alg : {JwsAlgorithm::es256, JwsAlgorithm::es384, JwsAlgorithm::rs256}) {
        if (name == to_string(alg)) {
            return alg;
        }
    }
    return std::nullopt;
}

// Reads the protected header into `out`; returns the problem when it refuses.
std::optional<Problem> read_header(const nlohmann::json& header, JwsMessage& out) {
    if (!header.is_object()) {
        return malformed("JWS protected header: not a JSON object");
    }
    const auto alg = header.find("alg");
    if (alg == header.end() || !alg->is_string()) {
        return malformed("JWS protected header: \"alg\" missing");
    }
    const auto known = algorithm_named(alg->get<std::string>());
    if (!known) {
        return Problem{
            .type = ProblemType::bad_signature_algorithm,
            .detail = fmt::format("JWS protected header: \"alg\" {} is not accepted (ES256, ES384, RS256)",
                                  nlohmann::json(*alg).dump()),
            .algorithms = accepted_algorithms()};
    }
    out.algorithm = *known;
    // RFC 7797 and RFC 8555 6.2: "The JWS Unencoded Payload Option [RFC7797] MUST NOT be used"; with no
    // extension understood, any "crit" must be refused (RFC 7515 4.1.11).
    if (header.contains("b64") || header.contains("crit")) {
        return malformed(R"(JWS protected header: "b64" and "crit" are not supported)");
    }
    const auto url = header.find("url");
    if (url == header.end() || !url->is_string()) {
        return malformed("JWS protected header: \"url\" missing (RFC 8555 6.4)");
    }
    out.url = url->get<std::string>();
    if (const auto nonce = header.find("nonce"); nonce != header.end()) {
        if (!nonce->is_string()) {
            return Problem{.type = ProblemType::bad_nonce,
                           .detail = "JWS protected header: \"nonce\" is not a string"};
        }
        out.nonce = nonce->get<std::string>();
    }
    const auto kid = header.find("kid");
    const auto jwk = header.find("jwk");
    if ((kid == header.end()) == (jwk == header.end())) {
        return malformed(
            R"(JWS protected header: exactly one of "jwk" and "kid" is required (RFC 8555 6.2))");
    }
    if (kid != header.end()) {
        if (!kid->is_string()) {
            return malformed("JWS protected header: \"kid\" is not a string");
        }
        out.kid = kid->get<std::string>();
    } else {
        out.jwk = *jwk;
    }
    return std::nullopt;
}

}  // namespace

Checked<nlohmann::json> JwsMessage::payload_object() const {
    nlohmann::json object = nlohmann::json::parse(payload, nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
        return malformed("JWS payload: not a JSON object");
    }
    return object;
}

Checked<JwsMessage> parse_jws(std::string_view body) {
    const nlohmann::json jws = nlohmann::json::parse(body, nullptr, false);
    if (jws.is_discarded() || !jws.is_object()) {
        return malformed("request body: not a JSON object (a flattened JWS is expected)");
    }
    // RFC 8555 6.2: "The JWS MUST NOT have multiple signatures" and "The JWS Unprotected Header MUST NOT be
    // used".
    for (const auto& [name, value] : jws.items()) {
        if (name != "protected" && name != "payload" && name != "signature") {
            return malformed(
                fmt::format("JWS: member \"{}\" is not allowed (flattened JWS, protected header only)",
                            name.substr(0, 40)));
        }
        if (!value.is_string()) {
            return malformed(fmt::format("JWS: member \"{}\" is not a string", name));
        }
    }
    for (const char* name : {"protected", "payload", "signature"}) {
        if (!jws.contains(name)) {
            return malformed(fmt::format("JWS: member \"{}\" missing", name));
        }
    }
    const auto& protected_b64 = jws["protected"].get_ref<const std::string&>();
    const auto& payload_b64 = jws["payload"].get_ref<const std::string&>();
    const auto header_text = base64url_decode(protected_b64);
    const auto payload = base64url_decode(payload_b64);
    const auto signature = base64url_decode(jws["signature"].get_ref<const std::string&>());
    if (!header_text || !payload || !signature) {
        return malformed(fmt::format("JWS: member \"{}\" is not base64url without padding",
                                     !header_text ? "protected" : (!payload ? "payload" : "signature")));
    }
    JwsMessage out{.signing_input = protected_b64 + "." + payload_b64,
                   .payload = *payload,
                   .post_as_get = payload_b64.empty(),
                   .signature = *signature};
    const nlohmann::json header = nlohmann::json::parse(*header_text, nullptr, false);
    if (header.is_discarded()) {
        return malformed("JWS protected header: not JSON");
    }
    if (auto problem = read_header(header, out)) {
        return *std::move(problem);
    }
    return out;
}

std::optional<Problem> check_header(const JwsMessage& message, const JwsExpectations& expected) {
    // RFC 8555 6.4.1: "If the two do not match, then the server MUST reject the request as unauthorized."
    if (message.url != expected.url) {
        return Problem{.type = ProblemType::unauthorized,
                       .detail = fmt::format("JWS protected header: \"url\" {} is not this request's URL {}",
                                             nlohmann::json(message.url).dump(),
                                             nlohmann::json(expected.url).dump())};
    }
    if (expected.binding == KeyBinding::jwk && !message.jwk) {
        return malformed(R"(JWS protected header: this resource requires "jwk", not "kid")");
    }
    if (expected.binding == KeyBinding::kid && !message.kid) {
        return malformed(
            R"(JWS protected header: this resource requires "kid" (the account URL), not "jwk")");
    }
    if (expected.nonce == NonceRule::required && !message.nonce) {
        return Problem{.type = ProblemType::bad_nonce, .detail = "JWS protected header: \"nonce\" missing"};
    }
    if (expected.nonce == NonceRule::forbidden && message.nonce) {
        return malformed("inner JWS: \"nonce\" must not be present (RFC 8555 7.3.5)");
    }
    return std::nullopt;
}

std::optional<Problem> check_signature(const JwsMessage& message, const AccountKey& key) {
    if (message.algorithm != key.algorithm()) {
        return Problem{.type = ProblemType::bad_signature_algorithm,
                       .detail = fmt::format("JWS: \"alg\" {} does not fit the {} key (it signs {})",
                                             to_string(message.algorithm),
                                             key.description(),
                                             to_string(key.algorithm())),
                       .algorithms = accepted_algorithms()};
    }
    if (!key.verifies(message.signing_input, message.signature)) {
        return malformed("JWS: the signature does not verify");
    }
    return std::nullopt;
}

}  // namespace certfleet::acme
