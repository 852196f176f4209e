#include "enrollment/bootstrap_token.hpp"

#include "core/error.hpp"
#include "pki/bytes.hpp"
#include "pki/certificate.hpp"
#include "pki/fingerprint.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>

namespace certfleet::enrollment {
namespace {

constexpr std::string_view token_prefix = "cft_";
constexpr std::string_view base64url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// RFC 4648 section 5 without padding.
std::string base64url(const std::array<unsigned char, 32>& bytes) {
    std::string out;
    std::uint32_t bits = 0;
    int count = 0;
    for (const unsigned char byte : bytes) {
        bits = (bits << 8U) | byte;
        count += 8;
        while (count >= 6) {
            count -= 6;
            out.push_back(base64url_alphabet[(bits >> static_cast<unsigned>(count)) & 0x3FU]);
        }
    }
    if (count > 0) {
        out.push_back(base64url_alphabet[(bits << static_cast<unsigned>(6 - count)) & 0x3FU]);
    }
    return out;
}

}  // namespace

NewToken generate_token() {
    std::array<unsigned char, 32> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw core::Error(core::ErrorCode::internal, "token: the random generator failed");
    }
    std::string text = std::string(token_prefix) + base64url(random);
    OPENSSL_cleanse(random.data(), random.size());
    std::string hash = hash_token(text);
    return NewToken{.token = core::Secret(std::move(text)), .hash = std::move(hash)};
}

std::string hash_token(std::string_view token) {
    const auto* data = reinterpret_cast<const unsigned char*>(token.data());
    return pki::to_hex(pki::digest(pki::DigestAlgorithm::sha256, data, token.size()));
}

TokenDecision judge_token_use(const std::optional<TokenGrant>& grant,
                              const std::vector<pki::GeneralName>& requested,
                              core::TimePoint now) {
    if (!grant) {
        return {TokenVerdict::unknown, "token: unknown (never issued, or mistyped)"};
    }
    if (grant->used_at) {
        return {TokenVerdict::used,
                fmt::format("token: already used at {}", pki::format_time(*grant->used_at))};
    }
    if (now >= grant->expires_at) {
        return {TokenVerdict::expired,
                fmt::format("token: expired at {}", pki::format_time(grant->expires_at))};
    }
    if (requested.empty()) {
        return {TokenVerdict::names_not_granted, "token: the CSR names nothing"};
    }
    std::string granted;
    for (const pki::GeneralName& name : grant->names) {
        granted += (granted.empty() ? "" : ", ") + pki::to_string(name);
    }
    for (const pki::GeneralName& name : requested) {
        if (std::find(grant->names.begin(), grant->names.end(), name) == grant->names.end()) {
            return {TokenVerdict::names_not_granted,
                    fmt::format("token: not granted for {} (it grants {})", pki::to_string(name), granted)};
        }
    }
    return {TokenVerdict::accepted, ""};
}

}  // namespace certfleet::enrollment
