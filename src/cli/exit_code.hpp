#pragma once

#include "core/error.hpp"

#include <functional>
#include <string_view>

namespace certfleet::cli {

/// Exit codes scripts can trust (STYLE.md section 5).
enum class ExitCode : int {
    ok = 0,
    findings = 1,  ///< the check ran and found problems
    invalid_input = 2,
    denied = 3,
    not_found = 4,
    unavailable = 5,
    internal = 70,
};

/// Maps an error code to the process exit code.
ExitCode exit_code_for(core::ErrorCode code) noexcept;

/// Runs `body` and returns its exit code; an Error is printed on stderr as "PROGRAM: message" and
/// mapped by exit_code_for, anything else as an internal error (70).
int run_reporting_errors(std::string_view program, const std::function<int()>& body);

}  // namespace certfleet::cli
