#pragma once

#include "acme/jwk.hpp"
#include "acme/problem.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace certfleet::acme {

/// A request body as RFC 8555 6.2 allows it: a flattened JSON JWS (RFC 7515 7.2.2) with one signature,
/// a protected header only, and a base64url payload. Parsed, not yet verified.
struct JwsMessage {
    std::string signing_input;  ///< ASCII(protected "." payload), what the signature covers
    std::string payload;        ///< decoded; empty for POST-as-GET
    bool post_as_get = false;   ///< the payload is the empty string (RFC 8555 6.3)
    std::string signature;      ///< decoded
    JwsAlgorithm algorithm = JwsAlgorithm::es256;
    std::optional<std::string> nonce;
    std::string url;
    std::optional<std::string> kid;     ///< the account URL
    std::optional<nlohmann::json> jwk;  ///< the embedded key

    /// Returns the payload as a JSON object. Returns malformed naming the problem if it is not one.
    [[nodiscard]] Checked<nlohmann::json> payload_object() const;
};

/// Parses a request body. Returns malformed naming the member for anything but a flattened JWS with
/// "protected", "payload" and "signature" (an unprotected "header", "signatures", "b64": false or "crit" are
/// refused, as RFC 8555 6.2 requires), strict base64url, a protected header that is a JSON object with
/// "url", and exactly one of "jwk" and "kid"; badSignatureAlgorithm (listing ours) for an "alg" other than
/// ES256, ES384 and RS256 ("none" and MACs included).
Checked<JwsMessage> parse_jws(std::string_view body);

/// How a request must name its key (RFC 8555 6.2): "jwk" for newAccount and for revokeCert signed with the
/// certificate's key (and the inner JWS of keyChange), "kid" for everything else.
enum class KeyBinding { jwk, kid, jwk_or_kid };

/// Whether the protected header must carry a nonce: every request does, the inner JWS of keyChange must
/// not (RFC 8555 7.3.5).
enum class NonceRule { required, forbidden };

/// What the route expects of a request.
struct JwsExpectations {
    std::string url;  ///< the request's external URL (external_url + path), compared byte for byte
    KeyBinding binding = KeyBinding::kid;
    NonceRule nonce = NonceRule::required;
};

/// Checks the header against what the route expects. Returns unauthorized when "url" differs from the
/// request's URL (RFC 8555 6.4.1), malformed for a "jwk" where a "kid" is required or the reverse, badNonce
/// for a missing nonce (malformed for one present in an inner keyChange JWS); nullopt when it passes.
std::optional<Problem> check_header(const JwsMessage& message, const JwsExpectations& expected);

/// Checks the signature with `key`. Returns badSignatureAlgorithm when "alg" is not the key's algorithm
/// (ES256 with an RSA key), malformed when the signature does not verify; nullopt when it verifies.
std::optional<Problem> check_signature(const JwsMessage& message, const AccountKey& key);

}  // namespace certfleet::acme
