#pragma once
// api/ owns what travels between `certfleet serve` and its clients (the agent, `certfleet enroll` and
// `renew`, the CLI's --server mode): the wire types, their JSON codec, the protocol headers and the
// libcurl client. It links core/ and pki/ only: never server/, store/ or authority/, so a node's binary
// carries no CA code. Decoding ignores unknown fields, so servers and agents upgrade one at a time.

#include <optional>
#include <string>
#include <string_view>

namespace certfleet::api {

/// The request and response header carrying the sender's certfleet version ("0.1.0").
inline constexpr std::string_view version_header = "Certfleet-Version";
/// The response header carrying the oldest agent version the server accepts.
inline constexpr std::string_view min_agent_version_header = "Certfleet-Min-Agent-Version";
/// The response header echoing the request id (also in every error body).
inline constexpr std::string_view request_id_header = "X-Request-Id";
/// The wire protocol generation; bumped only when a route changes meaning.
inline constexpr std::string_view protocol_path_prefix = "/v1/";

/// The version this build speaks.
inline constexpr std::string_view certfleet_version = "0.1.0";

/// A dotted version "MAJOR.MINOR.PATCH" (missing parts are 0).
struct Version {
    int major = 0;
    int minor = 0;
    int patch = 0;

    // clang-tidy 14 reads the 0 that a defaulted <=> compares with as a null pointer:
    // NOLINTNEXTLINE(modernize-use-nullptr)
    friend auto operator<=>(const Version&, const Version&) = default;
};

/// Returns the version `text` spells, or nullopt when it is not 1 to 3 dot-separated numbers.
std::optional<Version> parse_version(std::string_view text);

/// Returns "MAJOR.MINOR.PATCH".
std::string to_string(const Version& version);

}  // namespace certfleet::api
