#pragma once

#include "acme/external_account_keys.hpp"
#include "acme/jwk.hpp"
#include "acme/problem.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace certfleet::acme {

/// An external account binding that verified: the key identifier the account is bound with.
struct VerifiedBinding {
    std::string kid;
};

/// What an external account binding must match: the outer newAccount JWS, and the keys handed out.
struct BindingContext {
    std::string_view url;             ///< the outer JWS's "url" (already checked against the request)
    const AccountKey& account_key;    ///< the outer JWS's "jwk", which signed the request
    const ExternalAccountKeys& keys;  ///< acme.eab_keys_file
};

/// Verifies the "externalAccountBinding" member of a newAccount payload in the order RFC 8555 7.3.4 lists:
///  1. a flattened JWS with "protected", "payload" and "signature" only, in strict base64url, else
///     malformed;
///  2. a protected header whose "alg" is HS256, HS384 or HS512 ("none", RS256 and ES256 are refused),
///     with "kid", with no "nonce", and a "url" equal to the outer one, else malformed naming the member;
///  3. a "kid" the CA handed out, else unauthorized;
///  4. a MAC that verifies with that kid's key (compared in constant time), else unauthorized;
///  5. a payload that is the outer "jwk" (the same RFC 7638 thumbprint): malformed when it is not a JWK,
///     unauthorized when it is another key.
/// Problems name the member at fault and the kid, never the key. Whether the kid is already bound to an
/// account is the store's to say (one kid, one account: docs/acme.md).
Checked<VerifiedBinding> verify_external_account_binding(const nlohmann::json& binding,
                                                         const BindingContext& context);

}  // namespace certfleet::acme
