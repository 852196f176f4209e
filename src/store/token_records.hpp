#pragma once
// One-time enrollment tokens (issue 14): only the SHA-256 of a token is kept (a leaked database grants
// nothing), with the names it grants, the profile it issues with, and its life. A token is consumed by
// consume_enrollment_token in the unit of work that records the certificate it pays for, so two servers
// accepting one token at the same instant issue exactly once.

#include "store/records.hpp"
#include "store/transaction.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// A token as stored.
struct EnrollmentTokenRecord {
    std::string hash;  ///< lower-case hex SHA-256 of the token, the primary key
    std::string authority;
    std::vector<std::string> names;  ///< "DNS:node1.example.com", "IP:10.0.0.1"
    std::string profile;
    core::TimePoint created_at;
    core::TimePoint expires_at;
    std::optional<core::TimePoint> used_at;
    std::string used_serial;  ///< the certificate it paid for, "" while unused
    std::string created_by;   ///< "cli:alice"
};

/// Records a new token. Throws Error(conflict) if its hash exists.
void insert_enrollment_token(Transaction& tx, const EnrollmentTokenRecord& token);
/// Returns the token with `hash`, or nullopt.
std::optional<EnrollmentTokenRecord> find_enrollment_token(Transaction& tx, std::string_view hash);
/// Returns the tokens of `authority`, newest first (unused ones only unless `include_used`).
std::vector<EnrollmentTokenRecord> list_enrollment_tokens(Transaction& tx,
                                                          std::string_view authority,
                                                          bool include_used);
/// Marks the token used at `at` for certificate `serial_hex` if it is still unused and unexpired at
/// `at`; returns false if it was not (another request used it first, or it expired). One conditional
/// UPDATE: under concurrent transactions exactly one sees it unused.
bool consume_enrollment_token(Transaction& tx,
                              std::string_view hash,
                              core::TimePoint at,
                              std::string_view serial_hex);

}  // namespace certfleet::store
