#pragma once

#include "authority/authority.hpp"
#include "enrollment/autosign_rule.hpp"
#include "pki/csr.hpp"
#include "store/request_records.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::enrollment {

/// How the server takes a request without a token.
struct QueueSettings {
    std::string profile = "peer";  ///< the profile a request is issued with once approved
    AutosignRules autosign;
    core::Seconds policy_timeout{10};  ///< how long the policy executable may take (then: not signed)
    std::string source = "api";        ///< "api", "puppet"
};

/// A request and, once issued, its certificate with the chain.
struct RequestView {
    store::CertificateRequestRecord request;
    std::optional<authority::IssuedCertificate> issued;
    std::string autosign;  ///< on submission: why autosign signed it or left it pending (for the log)
};

/// Returns the name a request is known by: the CSR's commonName, else its first DNS name.
/// Throws Error(invalid_input) if it has neither.
std::string request_name(const pki::Csr& csr);

/// Queues `csr` for `ca` (POST /v1/requests) and decides it by the autosign rules: a glob (with the
/// challenge when one is set) or the policy executable's exit 0 issues at once; otherwise it waits for an
/// operator. Throws Error(invalid_input) for a CSR whose signature does not verify or that names nothing,
/// Error(conflict) if the name already has a pending request. An autosigned request the authority's
/// policy refuses stays pending (`autosign` says why; an operator decides).
RequestView submit_request(store::Store& store,
                           const authority::Authority& ca,
                           const pki::Csr& csr,
                           const QueueSettings& settings,
                           core::TimePoint now);

/// Returns request `id` of `authority` with its certificate once issued. Throws Error(not_found).
RequestView find_request(store::Store& store, std::string_view authority, std::int64_t id);

/// Returns the pending request an operator means by `id_or_name` (an id, or the name of a pending
/// request). Throws Error(not_found) if there is none.
store::CertificateRequestRecord pending_request(store::Store& store,
                                                std::string_view authority,
                                                std::string_view id_or_name);

/// Issues the certificate of pending request `id` as `actor` at `now`, and marks it issued in the same
/// commit. Throws Error(conflict) if it is no longer pending, Error(not_found) if there is no such
/// request, and what Authority::issue throws.
RequestView approve_request(store::Store& store,
                            const authority::Authority& ca,
                            std::int64_t id,
                            const store::Actor& actor);

/// Marks pending request `id` denied by `actor` with `reason`. Throws Error(not_found) or Error(conflict)
/// if it is no longer pending.
store::CertificateRequestRecord deny_request(store::Store& store,
                                             std::string_view authority,
                                             std::int64_t id,
                                             std::string_view reason,
                                             const store::Actor& actor);

}  // namespace certfleet::enrollment
