#include "cli/exit_code.hpp"

#include <exception>
#include <iostream>

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

int run_reporting_errors(std::string_view program, const std::function<int()>& body) {
    try {
        return body();
    } catch (const core::Error& e) {
        std::cerr << program << ": " << e.what() << '\n';
        return static_cast<int>(exit_code_for(e.code()));
    } catch (const std::exception& e) {
        std::cerr << program << ": internal error: " << e.what() << '\n';
        return static_cast<int>(ExitCode::internal);
    }
}

}  // namespace certfleet::cli
