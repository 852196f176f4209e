#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace certfleet::core {

/// Why an operation failed. Mapped once to exit codes (cli/exit_code.cpp) and HTTP statuses.
enum class ErrorCode {
    invalid_input,
    not_found,
    conflict,
    unauthenticated,
    forbidden,
    unavailable,
    internal
};

/// The only exception certfleet throws. The message names the file, field, host or serial;
/// it never contains a key, passphrase or token.
class Error : public std::runtime_error {
public:
    /// Makes an error; `message` names what failed and must not contain a secret.
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    /// Returns why it failed; cli/exit_code.cpp maps it to an exit status.
    [[nodiscard]] ErrorCode code() const noexcept { return m_code; }

private:
    ErrorCode m_code;
};

/// Returns the stable snake_case name of `code` ("invalid_input").
std::string_view to_string(ErrorCode code) noexcept;

}  // namespace certfleet::core
