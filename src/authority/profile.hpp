#pragma once

#include "core/duration.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::authority {

/// What a certificate issued under this profile looks like.
struct Profile {
    std::string name;
    core::Seconds validity{0};
    std::vector<std::string> key_usage;           ///< RFC 5280 names: "digitalSignature", "keyCertSign"
    std::vector<std::string> extended_key_usage;  ///< "serverAuth", "clientAuth"
    bool is_ca = false;
    std::optional<int> path_length;
};

/// The profiles of an authority plus the URLs it writes into certificates.
struct ProfileSet {
    std::vector<Profile> profiles;
    std::vector<std::string> crl_distribution_points;  ///< URIs for the CRL distribution points
    std::vector<std::string> ca_issuers_urls;          ///< URIs of the issuer certificate (AIA)
    std::vector<std::string> ocsp_urls;                ///< URIs of an OCSP responder (AIA)

    /// Returns the profile called `name`. Throws Error(invalid_input) listing the known ones.
    [[nodiscard]] const Profile& find(std::string_view name) const;
    /// Returns a copy whose URLs have "{authority}" and "{generation}" replaced, so each issuer generation
    /// points its certificates at the CRL it signs itself.
    [[nodiscard]] ProfileSet for_issuer(std::string_view authority, std::int64_t generation) const;
};

/// Returns server, client, peer and intermediate with their RFC 5280 defaults.
ProfileSet default_profiles();

/// Parses profiles YAML (see examples/profiles.yaml); profiles not named keep their defaults.
/// Throws Error(invalid_input) naming `source` and the field.
ProfileSet parse_profiles(std::string_view yaml, std::string_view source);

/// Returns `set` as YAML that parse_profiles reads back.
std::string to_yaml(const ProfileSet& set);

}  // namespace certfleet::authority
