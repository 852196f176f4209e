#pragma once

#include "agent/agent_config.hpp"
#include "agent/agent_state_file.hpp"
#include "agent/renewal_pass.hpp"
#include "deploy/state_directory.hpp"

namespace certfleet::agent {

/// One tracked certificate in one pass, step by step through its state machine: decide (monitoring and
/// not due: nothing), make a key, a CSR, submit it (a renewal over mTLS with the current certificate,
/// or an enrollment by the bootstrap token when the files are missing, the certificate expired, or
/// `agent trust` asked for it), deploy, read the files back. Each transition is written to `record`'s
/// state file before the next step's side effect, so a restart knows where it stopped.
/// Throws Error as the failing step does; `record` then holds the state the failure left (a refusal
/// is `rejected`; the caller applies `failed` to the others).
CertificateReport run_certificate_pass(const AgentConfig& config,
                                       const TrackedCertificate& tracked,
                                       deploy::StateDirectory& state,
                                       const PassOptions& options,
                                       CertificateRecord& record);

/// Applies `event` to `record` and writes it to STATE_DIR/agent/NAME.json (its updated_at is `now`).
void record_event(const std::string& state_dir,
                  CertificateRecord& record,
                  TrackingEvent event,
                  core::TimePoint now);

}  // namespace certfleet::agent
