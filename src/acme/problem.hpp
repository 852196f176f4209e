#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace certfleet::acme {

/// The ACME error types of RFC 8555 section 6.7 that certfleet answers with (each is
/// "urn:ietf:params:acme:error:<name>").
enum class ProblemType {
    account_does_not_exist,
    already_revoked,
    bad_csr,
    bad_nonce,
    bad_public_key,
    bad_revocation_reason,
    bad_signature_algorithm,
    connection,
    external_account_required,
    incorrect_response,
    invalid_contact,
    malformed,
    order_not_ready,
    rejected_identifier,
    server_internal,
    unauthorized,
    unsupported_identifier,
};

/// Returns the RFC's camelCase name ("badNonce").
std::string_view to_string(ProblemType type) noexcept;

/// An RFC 7807 problem document with an ACME error type: what every refused ACME request answers.
/// A refusal is a value (ACME verdicts are outcomes, not failures); the route encodes it with the status.
struct Problem {
    ProblemType type = ProblemType::malformed;
    std::string detail;  ///< names the field, header or identifier at fault; never a key or token
    std::vector<Problem> subproblems;
    std::optional<std::string> identifier;  ///< the DNS name a subproblem is about
    std::vector<std::string> algorithms;    ///< badSignatureAlgorithm: the algorithms we accept (6.2)

    /// Returns "urn:ietf:params:acme:error:badNonce".
    [[nodiscard]] std::string type_urn() const;
    /// Returns the HTTP status the problem is sent with (400, 403, 404, 500...).
    [[nodiscard]] int http_status() const noexcept;
    /// Returns the problem document: {"type", "detail", "status"[, "subproblems"]} for
    /// Content-Type application/problem+json.
    [[nodiscard]] nlohmann::json to_json() const;
};

/// Either a value or the problem that refused it: what every ACME check returns.
template <class T>
using Checked = std::variant<T, Problem>;

/// Returns the problem held by `checked`, or nullptr when it holds a value.
template <class T>
const Problem* problem_of(const Checked<T>& checked) noexcept {
    return std::get_if<Problem>(&checked);
}

}  // namespace certfleet::acme
