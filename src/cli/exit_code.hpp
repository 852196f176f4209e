#pragma once

#include "core/error.hpp"

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

}  // namespace certfleet::cli
