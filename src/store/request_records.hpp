#pragma once
// The queue of certificate requests waiting for a decision (issue 14: POST /v1/requests; the Puppet CA
// API reuses it, `source` says which): each has an id and a name (the certname), at most one pending per
// name and authority. decide_certificate_request moves a request out of pending only if it is still
// pending, so an approval and a denial (or two replicas) racing on one request cannot both win.

#include "store/records.hpp"
#include "store/transaction.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// Where a request is: waiting, or decided one way.
enum class RequestState { pending, issued, denied };

/// Returns "pending", "issued" or "denied".
std::string_view to_string(RequestState state) noexcept;

/// A certificate request as stored.
struct CertificateRequestRecord {
    std::int64_t id = 0;  ///< assigned by the store
    std::string authority;
    std::string name;  ///< the certname: the CSR's commonName, else its first DNS name
    std::string csr_pem;
    std::string profile;  ///< the profile it is issued with once approved
    RequestState state = RequestState::pending;
    std::string certificate_serial;  ///< lower-case hex once issued
    std::string reason;              ///< why denied, or who approved it
    std::string source = "api";      ///< "api", "puppet"
    core::TimePoint submitted_at;
    std::optional<core::TimePoint> decided_at;
    std::string decided_by;  ///< "cli:alice", "autosign", "" while pending
};

/// Records a pending request and assigns its id. Throws Error(conflict) naming the name and the pending
/// request's id if the authority already has a pending request for that name.
void insert_certificate_request(Transaction& tx, CertificateRequestRecord& request);
/// Returns the request with `id`, or nullopt.
std::optional<CertificateRequestRecord> find_certificate_request(Transaction& tx, std::int64_t id);
/// Returns the requests of `authority` named `name`, newest first.
std::vector<CertificateRequestRecord> certificate_requests_named(Transaction& tx,
                                                                 std::string_view authority,
                                                                 std::string_view name);
/// Returns the requests of `authority`, oldest first: the pending ones, or all with `include_decided`.
std::vector<CertificateRequestRecord> list_certificate_requests(Transaction& tx,
                                                                std::string_view authority,
                                                                bool include_decided);
/// What a decision writes.
struct RequestDecision {
    RequestState state = RequestState::issued;  ///< issued or denied
    std::string certificate_serial;             ///< for issued
    std::string reason;
    std::string decided_by;
    core::TimePoint at;
};
/// Moves request `id` from pending to `decision.state`; returns false if it was no longer pending.
bool decide_certificate_request(Transaction& tx, std::int64_t id, const RequestDecision& decision);

}  // namespace certfleet::store
