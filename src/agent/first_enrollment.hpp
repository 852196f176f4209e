#pragma once

#include "agent/agent_config.hpp"
#include "agent/renewal_pass.hpp"
#include "deploy/deployment_spec.hpp"
#include "deploy/state_directory.hpp"

namespace certfleet::agent {

/// A tracked certificate's first enrollment (its files do not exist yet): a new key made here (key_type,
/// default ec:p256), a CSR for its `subject` and `sans` (serverAuth and clientAuth, so it can renew
/// itself), POST /v1/enroll with the bootstrap token, then one deployment through the same path as a
/// renewal (the spec's targets and its own certificate files, hooks, health checks, rollback).
/// Throws Error(invalid_input) for no subject, Error(forbidden) for a token the server refuses,
/// Error(unavailable) for a server that cannot be reached.
CertificateReport enroll_first(const AgentConfig& config,
                               const TrackedCertificate& tracked,
                               const deploy::DeploymentSpec& spec,
                               deploy::StateDirectory& state,
                               core::TimePoint now);

}  // namespace certfleet::agent
