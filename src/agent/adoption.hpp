#pragma once

#include "agent/agent_config.hpp"
#include "core/clock.hpp"
#include "deploy/deployment.hpp"
#include "formats/certified_key.hpp"
#include "formats/node_package.hpp"

#include <string>
#include <string_view>

namespace certfleet::agent {

/// How `agent adopt` runs.
struct AdoptionOptions {
    core::TimePoint now;
    std::string only;  ///< the tracked certificate to adopt for ("" = the one whose names match)
};

/// What `agent adopt` did.
struct AdoptionReport {
    std::string name;  ///< the tracked certificate
    std::string serial;
    core::TimePoint not_after;
    core::TimePoint next_renewal;
    deploy::DeploymentOutcome outcome = deploy::DeploymentOutcome::unchanged;
    std::string deployment;  ///< the deploy engine's id ("" when unchanged)
    std::string failure;     ///< rolled back: the failed step and why (the previous files are back)
};

/// Returns the tracked certificate `certificate` is for: `only` if given (its names must still match),
/// else the one whose names match, that is whose configured subject's commonName or one of whose
/// configured sans, or the commonName of the certificate in its files, is a name of `certificate`
/// (its commonName or a subjectAltName; DNS names case-insensitive).
/// Throws Error(invalid_input) naming `source` and the certificate's names when none matches, or more
/// than one does without `only`; Error(not_found) for an `only` that is not configured.
const TrackedCertificate& tracked_certificate_for(const AgentConfig& config,
                                                  const pki::Certificate& certificate,
                                                  std::string_view only,
                                                  std::string_view source);

/// The judgement before anything is written: `bundle`'s key matches its certificate (checked when it
/// was assembled), the certificate is valid at `now`, and it chains through its chain to the agent's
/// trust anchors (ca_file). Returns the chain as verified, the root included, leaf excluded.
/// Throws Error(invalid_input) naming `source`: expired, not yet valid, or not issued by a CA this node
/// trusts (with the first finding).
std::vector<pki::Certificate> require_adoptable(const AgentConfig& config,
                                                const formats::CertifiedKey& bundle,
                                                core::TimePoint now,
                                                std::string_view source);

/// `agent adopt`: recovers an interrupted deployment first, judges the package (require_adoptable,
/// tracked_certificate_for), then deploys it with the tracked certificate's deploy spec through the
/// deploy engine (its certificate files and every target, hooks, health checks; backups, rollback), reads
/// the files back, and marks the certificate `adopted` in STATE_DIR/agent/NAME.json (a pending request's
/// key is removed). A rolled-back deployment is a report (the previous files are back), not an error.
/// Throws Error(invalid_input) naming `source` for a package that is refused (nothing written).
AdoptionReport adopt_certificate(const AgentConfig& config,
                                 const formats::NodePackage& package,
                                 const AdoptionOptions& options,
                                 std::string_view source);

}  // namespace certfleet::agent
