#pragma once
// Operations: commands that a node's own configuration names (agent.yaml `operations`, e.g.
// `restart-kudu: [systemctl, restart, kudu-tserver]`). The server may ask a node to run one *by name*
// (`certfleet node run NODE NAME`); it never sends a command. A name the node does not define is refused
// and nothing runs.

#include "agent/agent_config.hpp"

#include <string>
#include <string_view>

namespace certfleet::agent {

/// Whether `name` may name an operation: [a-z0-9][a-z0-9-_.]* (so it is never an option or a path).
bool is_operation_name(std::string_view name);

/// How an operation action ended on the node.
enum class OperationOutcome {
    succeeded,  ///< it ran and exited 0
    failed,     ///< it ran and exited non-zero, was killed, timed out, or could not start
    refused,    ///< the node's configuration has no operation of that name: nothing ran
};

/// Returns "succeeded", "failed" or "refused" (the outcome of api::ActionResult).
std::string_view to_string(OperationOutcome outcome);

/// What the agent reports for an operation: the outcome and a line for the operator. The detail holds
/// the operation's name, its exit status and a bounded tail of its output (withheld if it shows a
/// private key); never its argv or environment, which may carry credentials.
struct OperationResult {
    OperationOutcome outcome = OperationOutcome::refused;
    std::string detail;
};

/// Runs the operation `name` of `config` (its argv, no shell, in its own process group, killed after
/// config.operation_timeout). Never throws for the command's own failure.
OperationResult run_operation(const AgentConfig& config, std::string_view name);

}  // namespace certfleet::agent
