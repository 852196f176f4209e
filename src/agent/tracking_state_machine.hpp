#pragma once

#include <string_view>

namespace certfleet::agent {

/// Where a tracked certificate is in its life on the node (certmonger's states, fewer). The stable
/// states are needs_key, pending_at_ca, monitoring, rejected and needs_operator; the others only last
/// while a pass works on the certificate, and a restart leaves them (TrackingEvent::restarted). adopted
/// is stable too: a certificate an operator brought by hand (`agent adopt`), renewed as monitoring is.
enum class TrackingState {
    needs_key,       ///< a new certificate is wanted: the next pass makes a key (renewal or enrollment)
    needs_csr,       ///< the key is made (in memory): a CSR is next
    submitting,      ///< the CSR is on its way to the server
    pending_at_ca,   ///< the server holds the request for an operator's approval
    needs_deploy,    ///< issued: the deployment is next
    deploying,       ///< the deploy engine is writing the targets (journal, backups, hooks, checks)
    verifying,       ///< deployed: the agent reads its certificate files back
    monitoring,      ///< the deployed certificate is current; waiting for its renewal time
    rejected,        ///< the server refused (a token already used, names not granted): until forced
    needs_operator,  ///< the server presents a CA this node does not trust: `agent trust` decides
    adopted,         ///< deployed from a package copied by hand (`agent adopt`); renewed when due
};

/// What happened to a tracked certificate: the outcome of a step, or of the operator.
enum class TrackingEvent {
    due,            ///< monitoring or rejected: renewal time reached, forced, files gone or expired
    key_generated,  ///< needs_key -> needs_csr
    csr_created,    ///< needs_csr -> submitting
    pending,        ///< submitting -> pending_at_ca
    issued,         ///< submitting or pending_at_ca -> needs_deploy
    refused,        ///< submitting or pending_at_ca -> rejected
    failed,         ///< an attempt failed (unreachable, rolled back, bad input): needs_key, retried next pass
    deployment_started,   ///< needs_deploy -> deploying
    deployed,             ///< deploying -> verifying
    verified,             ///< verifying -> monitoring
    untrusted_server,     ///< any state -> needs_operator
    operator_trusted,     ///< needs_operator -> needs_key (re-enroll with the bootstrap token)
    restarted,            ///< the agent starts: a state of an interrupted pass goes back to a stable one
    adopted_by_operator,  ///< any stable state -> adopted (`agent adopt` deployed a certificate)
};

/// Returns the state's name as persisted and printed ("needs_key", "monitoring"...).
std::string_view to_string(TrackingState state) noexcept;

/// Returns the event's name ("key_generated"...).
std::string_view to_string(TrackingEvent event) noexcept;

/// Parses a state's name. Throws Error(invalid_input) naming `field` if it is none.
TrackingState parse_tracking_state(std::string_view text, std::string_view field);

/// Returns true for the states a pass leaves a certificate in (needs_key, pending_at_ca, monitoring,
/// rejected, needs_operator, adopted).
bool is_stable(TrackingState state) noexcept;

/// Returns the state after `event` in `state`: every transition of the agent, and nothing else.
/// `restarted` maps needs_csr, submitting, needs_deploy, deploying and verifying to needs_key (the key
/// and an issued certificate lived in memory only, and the deploy engine has put the previous files
/// back) and leaves a stable state as it is.
/// Throws Error(internal) naming both for an event that cannot happen in `state`.
TrackingState next(TrackingState state, TrackingEvent event);

}  // namespace certfleet::agent
