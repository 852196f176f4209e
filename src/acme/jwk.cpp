#include "acme/jwk.hpp"

#include "acme/base64url.hpp"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <bit>
#include <optional>

namespace certfleet::acme {
namespace {

Problem bad_key(std::string detail) {
    return {.type = ProblemType::bad_public_key, .detail = std::move(detail)};
}

// Returns the member `name` of `jwk` decoded, or nullopt when it is missing, not a string or not strict
// base64url.
std::optional<std::string> member(const nlohmann::json& jwk, const char* name) {
    const auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string()) {
        return std::nullopt;
    }
    return base64url_decode(it->get<std::string>());
}

// Imports a public key from an OSSL_PARAM list held on the stack (nothing to free but the key).
// EVP_PKEY_fromdata checks an EC point is on the curve while importing it; the public check confirms it.
pki::EvpPkeyPtr import_key(const char* type, OSSL_PARAM* params) {
    const pki::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        ERR_clear_error();
        return nullptr;
    }
    pki::EvpPkeyPtr key(raw);
    const pki::EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) {
        ERR_clear_error();
        return nullptr;
    }
    return key;
}

// OSSL_PARAM_construct_BN takes the integer in native byte order; JWK integers are big-endian.
std::string native_order(std::string big_endian) {
    if constexpr (std::endian::native == std::endian::little) {
        std::reverse(big_endian.begin(), big_endian.end());
    }
    return big_endian;
}

// Appends a DER INTEGER holding the unsigned big-endian `value` (leading zeros dropped, one added when
// the top bit is set, so it stays positive).
void append_der_integer(std::string& out, std::string_view value) {
    while (value.size() > 1 && value.front() == '\0') {
        value.remove_prefix(1);
    }
    const bool pad = !value.empty() && (static_cast<unsigned char>(value.front()) & 0x80U) != 0;
    out += '\x02';
    out += static_cast<char>(value.size() + (pad ? 1 : 0));
    if (pad) {
        out += '\0';
    }
    out += value;
}

// RFC 7518 3.4: an ECDSA JWS signature is R and S as fixed-size big-endian octets, concatenated; OpenSSL
// verifies the DER ECDSA-Sig-Value (RFC 3279 2.2.3: SEQUENCE { r INTEGER, s INTEGER }), so it is
// re-encoded. R and S are at most 48 bytes, so every length fits in one byte.
std::string ecdsa_der(std::string_view raw) {
    const std::size_t half = raw.size() / 2;
    std::string body;
    append_der_integer(body, raw.substr(0, half));
    append_der_integer(body, raw.substr(half));
    std::string out(1, '\x30');  // SEQUENCE tag
    out += static_cast<char>(body.size());
    return out + body;
}

struct Curve {
    const char* jwk_name;
    const char* openssl_name;
    std::size_t coordinate_size;
    JwsAlgorithm algorithm;
};
constexpr std::array<Curve, 2> curves{
    {{"P-256", "P-256", 32, JwsAlgorithm::es256}, {"P-384", "P-384", 48, JwsAlgorithm::es384}}};

}  // namespace

std::string_view to_string(JwsAlgorithm alg) noexcept {
    switch (alg) {
        case JwsAlgorithm::es256:
            return "ES256";
        case JwsAlgorithm::es384:
            return "ES384";
        case JwsAlgorithm::rs256:
            return "RS256";
    }
    return "";
}

std::vector<std::string> accepted_algorithms() {
    return {"ES256", "ES384", "RS256"};
}

AccountKey::AccountKey(pki::EvpPkeyPtr key, std::string canonical, JwsAlgorithm algorithm)
    : m_key(std::move(key)), m_canonical(std::move(canonical)), m_algorithm(algorithm) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(m_canonical.data(), m_canonical.size(), digest.data(), &size, EVP_sha256(), nullptr) !=
        1) {
        pki::throw_openssl_error(core::ErrorCode::internal, "JWK thumbprint: SHA-256 failed");
    }
    m_thumbprint = base64url_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), size));
}

Checked<AccountKey> AccountKey::from_jwk(const nlohmann::json& jwk) {
    if (!jwk.is_object()) {
        return Problem{.type = ProblemType::malformed, .detail = "jwk: not a JSON object"};
    }
    const auto kty = jwk.find("kty");
    if (kty == jwk.end() || !kty->is_string()) {
        return bad_key("jwk: member \"kty\" missing");
    }
    // RFC 7638 section 3.2: the thumbprint covers only the required members, in lexicographic order.
    if (*kty == "EC") {
        const auto crv = jwk.find("crv");
        const Curve* curve = nullptr;
        for (const Curve& c : curves) {
            if (crv != jwk.end() && crv->is_string() && *crv == c.jwk_name) {
                curve = &c;
            }
        }
        if (curve == nullptr) {
            return bad_key(R"(jwk: member "crv" must be "P-256" or "P-384")");
        }
        const auto x = member(jwk, "x");
        const auto y = member(jwk, "y");
        // RFC 7518 6.2.1.2: "The length of this octet string MUST be the full size of a coordinate for
        // the curve specified in the "crv" parameter."
        if (!x || !y || x->size() != curve->coordinate_size || y->size() != curve->coordinate_size) {
            return bad_key(fmt::format(R"(jwk: members "x" and "y" must be {}-byte base64url coordinates)",
                                       curve->coordinate_size));
        }
        std::string point = "\x04" + *x + *y;
        std::string group = curve->openssl_name;
        std::array<OSSL_PARAM, 3> params{
            OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
            OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
            OSSL_PARAM_construct_end()};
        pki::EvpPkeyPtr key = import_key("EC", params.data());
        if (!key) {
            return bad_key(fmt::format("jwk: the point is not on curve {}", curve->jwk_name));
        }
        std::string canonical = fmt::format(R"({{"crv":"{}","kty":"EC","x":"{}","y":"{}"}})",
                                            curve->jwk_name,
                                            jwk["x"].get<std::string>(),
                                            jwk["y"].get<std::string>());
        return AccountKey(std::move(key), std::move(canonical), curve->algorithm);
    }
    if (*kty == "RSA") {
        const auto n = member(jwk, "n");
        const auto e = member(jwk, "e");
        // RFC 7518 6.3.1.1 (and 6.3.1.2 by reference to Base64urlUInt, section 2): "The octet sequence
        // MUST utilize the minimum number of octets needed to represent the value."
        if (!n || !e || n->empty() || e->empty() || n->front() == '\0' || e->front() == '\0') {
            return bad_key(R"(jwk: members "n" and "e" must be minimal base64url integers)");
        }
        if (n->size() * 8 < 2048) {
            return bad_key(fmt::format("jwk: RSA key of {} bits; at least 2048 are required", n->size() * 8));
        }
        std::string native_n = native_order(*n);
        std::string native_e = native_order(*e);
        std::array<OSSL_PARAM, 3> params{
            OSSL_PARAM_construct_BN(
                OSSL_PKEY_PARAM_RSA_N, reinterpret_cast<unsigned char*>(native_n.data()), native_n.size()),
            OSSL_PARAM_construct_BN(
                OSSL_PKEY_PARAM_RSA_E, reinterpret_cast<unsigned char*>(native_e.data()), native_e.size()),
            OSSL_PARAM_construct_end()};
        pki::EvpPkeyPtr key = import_key("RSA", params.data());
        if (!key) {
            return bad_key("jwk: not a valid RSA public key");
        }
        std::string canonical = fmt::format(
            R"({{"e":"{}","kty":"RSA","n":"{}"}})", jwk["e"].get<std::string>(), jwk["n"].get<std::string>());
        return AccountKey(std::move(key), std::move(canonical), JwsAlgorithm::rs256);
    }
    return bad_key(fmt::format("jwk: key type \"{}\" is not supported (EC P-256, EC P-384 or RSA)",
                               kty->get<std::string>()));
}

std::string AccountKey::description() const {
    if (m_algorithm == JwsAlgorithm::rs256) {
        return fmt::format("RSA {}", EVP_PKEY_get_bits(m_key.get()));
    }
    return m_algorithm == JwsAlgorithm::es256 ? "EC P-256" : "EC P-384";
}

bool AccountKey::verifies(std::string_view signing_input, std::string_view signature) const {
    std::string der;
    const EVP_MD* digest = m_algorithm == JwsAlgorithm::es384 ? EVP_sha384() : EVP_sha256();
    if (m_algorithm != JwsAlgorithm::rs256) {
        const std::size_t half = m_algorithm == JwsAlgorithm::es256 ? 32 : 48;
        if (signature.size() != 2 * half) {
            return false;
        }
        der = ecdsa_der(signature);
        signature = der;
    }
    const pki::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, m_key.get()) != 1) {
        pki::throw_openssl_error(core::ErrorCode::internal, "JWS: setting up verification failed");
    }
    const int ok = EVP_DigestVerify(ctx.get(),
                                    reinterpret_cast<const unsigned char*>(signature.data()),
                                    signature.size(),
                                    reinterpret_cast<const unsigned char*>(signing_input.data()),
                                    signing_input.size());
    ERR_clear_error();
    return ok == 1;
}

bool AccountKey::matches(const pki::PublicKey& key) const {
    return EVP_PKEY_eq(m_key.get(), key.evp()) == 1;
}

std::string key_authorization(std::string_view token, const AccountKey& key) {
    return std::string(token) + "." + key.thumbprint();
}

}  // namespace certfleet::acme
