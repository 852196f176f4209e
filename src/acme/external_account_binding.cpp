#include "acme/external_account_binding.hpp"

#include "acme/base64url.hpp"
#include "pki/openssl_handles.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <optional>

namespace certfleet::acme {
namespace {

Problem malformed(std::string detail) {
    return {.type = ProblemType::malformed, .detail = "externalAccountBinding: " + std::move(detail)};
}

Problem unauthorized(std::string detail) {
    return {.type = ProblemType::unauthorized, .detail = "externalAccountBinding: " + std::move(detail)};
}

// A client's string, quoted and cut short for a message.
std::string quoted(const std::string& text) {
    return nlohmann::json(text.substr(0, 80)).dump();
}

// RFC 7518 3.2: HS256, HS384 and HS512 are HMAC with SHA-2; returns the digest name, or nullopt.
std::optional<const char*> digest_of(std::string_view alg) {
    if (alg == "HS256") {
        return "SHA256";
    }
    if (alg == "HS384") {
        return "SHA384";
    }
    if (alg == "HS512") {
        return "SHA512";
    }
    return std::nullopt;
}

struct BindingJws {
    std::string signing_input;
    nlohmann::json header;
    std::string payload;
    std::string signature;
};

Checked<BindingJws> parse_binding(const nlohmann::json& binding) {
    if (!binding.is_object()) {
        return malformed("not a JSON object (a flattened JWS is expected)");
    }
    for (const auto& [name, value] : binding.items()) {
        if (name != "protected" && name != "payload" && name != "signature") {
            return malformed(fmt::format(
                "member \"{}\" is not allowed (flattened JWS, protected header only)", name.substr(0, 40)));
        }
        if (!value.is_string()) {
            return malformed(fmt::format("member \"{}\" is not a string", name));
        }
    }
    for (const char* name : {"protected", "payload", "signature"}) {
        if (!binding.contains(name)) {
            return malformed(fmt::format("member \"{}\" missing", name));
        }
    }
    const auto& protected_b64 = binding["protected"].get_ref<const std::string&>();
    const auto& payload_b64 = binding["payload"].get_ref<const std::string&>();
    const auto header_text = base64url_decode(protected_b64);
    const auto payload = base64url_decode(payload_b64);
    const auto signature = base64url_decode(binding["signature"].get_ref<const std::string&>());
    if (!header_text || !payload || !signature) {
        return malformed(fmt::format("member \"{}\" is not base64url without padding",
                                     !header_text ? "protected" : (!payload ? "payload" : "signature")));
    }
    BindingJws out{.signing_input = protected_b64 + "." + payload_b64,
                   .header = nlohmann::json::parse(*header_text, nullptr, false),
                   .payload = *payload,
                   .signature = *signature};
    if (out.header.is_discarded() || !out.header.is_object()) {
        return malformed("protected header: not a JSON object");
    }
    return out;
}

// RFC 8555 7.3.4: 'The "alg" field MUST indicate a MAC-based algorithm', 'The "kid" field MUST contain
// the key identifier provided by the CA', 'The "nonce" field MUST NOT be present', 'The "url" field MUST be
// set to the same value as the outer JWS'. Returns the digest name.
Checked<const char*> check_binding_header(const nlohmann::json& header, std::string_view url) {
    const auto alg = header.find("alg");
    if (alg == header.end() || !alg->is_string()) {
        return malformed("protected header: \"alg\" missing");
    }
    const auto digest = digest_of(alg->get<std::string>());
    if (!digest) {
        return malformed(
            fmt::format("protected header: \"alg\" {} is not a MAC algorithm (HS256, HS384, HS512)",
                        quoted(alg->get<std::string>())));
    }
    if (header.contains("b64") || header.contains("crit")) {
        return malformed(R"(protected header: "b64" and "crit" are not supported)");
    }
    if (header.contains("nonce")) {
        return malformed("protected header: \"nonce\" must not be present (RFC 8555 7.3.4)");
    }
    const auto kid = header.find("kid");
    if (kid == header.end() || !kid->is_string() || kid->get_ref<const std::string&>().empty()) {
        return malformed("protected header: \"kid\" (the key identifier the CA gave) missing");
    }
    const auto inner_url = header.find("url");
    if (inner_url == header.end() || !inner_url->is_string()) {
        return malformed("protected header: \"url\" missing");
    }
    if (inner_url->get_ref<const std::string&>() != url) {
        return malformed(fmt::format(R"(protected header: "url" {} is not the outer JWS's "url" {})",
                                     quoted(inner_url->get<std::string>()),
                                     quoted(std::string(url))));
    }
    return *digest;
}

bool mac_verifies(const char* digest,
                  const core::Secret& key,
                  std::string_view signing_input,
                  std::string_view signature) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    std::size_t size = 0;
    if (EVP_Q_mac(nullptr,
                  "HMAC",
                  nullptr,
                  digest,
                  nullptr,
                  key.reveal().data(),
                  key.reveal().size(),
                  reinterpret_cast<const unsigned char*>(signing_input.data()),
                  signing_input.size(),
                  mac.data(),
                  mac.size(),
                  &size) == nullptr) {
        pki::throw_openssl_error(core::ErrorCode::internal, "externalAccountBinding: HMAC failed");
    }
    const bool same = signature.size() == size && CRYPTO_memcmp(mac.data(), signature.data(), size) == 0;
    OPENSSL_cleanse(mac.data(), mac.size());
    return same;
}

}  // namespace

Checked<VerifiedBinding> verify_external_account_binding(const nlohmann::json& binding,
                                                         const BindingContext& context) {
    auto parsed = parse_binding(binding);
    if (const Problem* problem = problem_of(parsed)) {
        return *problem;
    }
    const BindingJws& jws = std::get<BindingJws>(parsed);
    const auto digest = check_binding_header(jws.header, context.url);
    if (const Problem* problem = problem_of(digest)) {
        return *problem;
    }
    const std::string kid = jws.header["kid"].get<std::string>();
    const core::Secret* key = context.keys.find(kid);
    if (key == nullptr) {
        return unauthorized(fmt::format("\"kid\" {} is not a key identifier this CA gave out", quoted(kid)));
    }
    if (!mac_verifies(std::get<const char*>(digest), *key, jws.signing_input, jws.signature)) {
        return unauthorized(fmt::format("the MAC does not verify with the key of \"kid\" {}", quoted(kid)));
    }
    const nlohmann::json jwk = nlohmann::json::parse(jws.payload, nullptr, false);
    if (jwk.is_discarded()) {
        return malformed("payload: not a JWK (the account key is expected)");
    }
    auto payload_key = AccountKey::from_jwk(jwk);
    if (const Problem* problem = problem_of(payload_key)) {
        return malformed("payload: not an account key: " + problem->detail);
    }
    if (std::get<AccountKey>(payload_key).thumbprint() != context.account_key.thumbprint()) {
        return unauthorized("payload: the key is not the one that signed this request (the outer \"jwk\")");
    }
    return VerifiedBinding{.kid = kid};
}

}  // namespace certfleet::acme
