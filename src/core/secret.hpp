#pragma once

#include <string>
#include <string_view>

namespace certfleet::core {

/// A passphrase, key or token. It has no operator<< and no formatter, so it cannot reach a log or a
/// message by accident; its memory is wiped when it goes away.
class Secret {
public:
    Secret() = default;
    /// Takes `value` over; its buffer is wiped when this Secret goes away.
    explicit Secret(std::string value) : m_value(std::move(value)) {}
    Secret(const Secret&) = default;
    Secret(Secret&&) noexcept = default;
    Secret& operator=(const Secret&) = default;
    Secret& operator=(Secret&&) noexcept = default;
    ~Secret();

    /// Returns the secret bytes, for handing to a crypto library and nothing else.
    [[nodiscard]] std::string_view reveal() const noexcept { return m_value; }
    /// Returns true if there are no secret bytes.
    [[nodiscard]] bool empty() const noexcept { return m_value.empty(); }

private:
    std::string m_value;
};

/// Reads a secret from the first line of `path` (trailing CR/LF removed).
/// Throws Error(invalid_input) naming the file if it cannot be read.
Secret read_secret_file(const std::string& path);

}  // namespace certfleet::core
