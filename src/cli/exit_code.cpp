#include "cli/exit_code.hpp"

namespace certfleet::cli {

ExitCode exit_code_for(core::ErrorCode code) noexcept {
    switch (code) {
        case core::ErrorCode::invalid_input:
            return ExitCode::invalid_input;
        case core::ErrorCode::unauthenticated:
        case core::ErrorCode::forbidden:
            return ExitCode::denied;
        case core::ErrorCode::not_found:
        case core::ErrorCode::conflict:
            return ExitCode::not_found;
        case core::ErrorCode::unavailable:
            return ExitCode::unavailable;
        case core::ErrorCode::internal:
            return ExitCode::internal;
    }
    return ExitCode::internal;
}

}  // namespace certfleet::cli
