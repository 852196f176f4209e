#pragma once

#include "pki/certificate.hpp"
#include "pki/crl.hpp"
#include "pki/finding.hpp"

#include <string_view>
#include <vector>

namespace certfleet::pki {

/// Which RFC 5280 / CA/Browser Forum rules a TLS server chain is held to on top of OpenSSL's checks.
/// The rules themselves are in profile_rules.hpp, one function each.
enum class ServerProfile {
    off,       ///< OpenSSL's checks only ("openssl")
    standard,  ///< rules that real, working certificates do not break ("default")
    strict,    ///< also rules some certificates in use do break: a missing SAN or EKU, anyExtendedKeyUsage
               ///< in a leaf, dNSName constraints with a leading dot, private public-suffix wildcards...
};

/// Returns "openssl", "default" or "strict".
std::string_view to_string(ServerProfile profile) noexcept;

/// Parses "openssl", "default" or "strict". Throws Error(invalid_input) naming `field` otherwise.
ServerProfile parse_server_profile(std::string_view text, std::string_view field);

/// The chain a profile judges, as verify_chain built it.
struct ProfileScope {
    ServerProfile profile = ServerProfile::standard;
    bool ends_at_anchor = false;             ///< the last certificate of the chain is a trust anchor
    const std::vector<Crl>* crls = nullptr;  ///< CRLs used for revocation (borrowed), or nullptr
};

/// Returns what the rules of `scope.profile` find in `chain` (leaf first). Leaf rules skip a chain that
/// is only a trusted anchor; serial-number rules skip the anchor (several roots in Debian's store have
/// serial 0). Returns nothing for ServerProfile::off.
std::vector<Finding> check_server_profile(const std::vector<Certificate>& chain, const ProfileScope& scope);

/// Returns what the rules for trust anchors find in `anchor` (at `index` of its chain): AKI, EKU, key
/// and its self-signature.
std::vector<Finding> check_anchor(const Certificate& anchor, std::size_t index, ServerProfile profile);

}  // namespace certfleet::pki
