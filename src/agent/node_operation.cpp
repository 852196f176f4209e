#include "agent/node_operation.hpp"

#include "deploy/hook_runner.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::agent {
namespace {

// The longest tail of an operation's output that a report carries, and at most this many lines.
constexpr std::size_t reported_output = 1024;
constexpr int reported_lines = 5;

bool is_name_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

// The last lines of `output`, at most reported_output characters; withheld whole if it shows a private
// key (an operation that prints one must not send it to the server).
std::string output_tail(std::string output) {
    if (output.find("PRIVATE KEY") != std::string::npos) {
        return "(output withheld: it shows a private key)";
    }
    while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) {
        output.pop_back();
    }
    std::size_t start = output.size();
    for (int line = 0; line < reported_lines; ++line) {
        const std::size_t newline = start == 0 ? std::string::npos : output.rfind('\n', start - 1);
        if (newline == std::string::npos) {
            start = 0;
            break;
        }
        start = newline;
    }
    std::string tail = output.substr(start);
    if (tail.size() > reported_output) {
        tail = "..." + tail.substr(tail.size() - reported_output);
    }
    while (!tail.empty() && tail.front() == '\n') {
        tail.erase(0, 1);
    }
    tail.erase(std::remove(tail.begin(), tail.end(), '\r'), tail.end());
    std::replace(tail.begin(), tail.end(), '\n', '|');
    return tail;
}

std::string known_names(const AgentConfig& config) {
    std::string names;
    for (const auto& [name, argv] : config.operations) {
        names += (names.empty() ? "" : ", ") + name;
    }
    return names.empty() ? "none" : names;
}

}  // namespace

bool is_operation_name(std::string_view name) {
    return !name.empty() && name.front() != '-' && name.front() != '_' && name.front() != '.' &&
           std::all_of(name.begin(), name.end(), is_name_character);
}

std::string_view to_string(OperationOutcome outcome) {
    switch (outcome) {
        case OperationOutcome::succeeded:
            return "succeeded";
        case OperationOutcome::failed:
            return "failed";
        case OperationOutcome::refused:
            return "refused";
    }
    return "failed";
}

OperationResult run_operation(const AgentConfig& config, std::string_view name) {
    const auto found = config.operations.find(std::string(name));
    if (found == config.operations.end()) {
        return {
            .outcome = OperationOutcome::refused,
            .detail = fmt::format("no operation {} in this node's configuration (it has: {}); nothing ran",
                                  name,
                                  known_names(config))};
    }
    const deploy::CommandResult result =
        deploy::run_command(found->second, {.timeout = config.operation_timeout});
    std::string status;
    if (result.timed_out) {
        status = fmt::format("timed out after {}s, killed", config.operation_timeout.count());
    } else if (result.exit_status < 0) {
        status = "killed by a signal";
    } else {
        status = fmt::format("exit {}", result.exit_status);
    }
    const std::string tail = output_tail(result.output);
    return {
        .outcome = result.succeeded() ? OperationOutcome::succeeded : OperationOutcome::failed,
        .detail = fmt::format("operation {}: {}{}{}", name, status, tail.empty() ? "" : "; output: ", tail)};
}

}  // namespace certfleet::agent
