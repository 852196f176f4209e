#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace certfleet::core {

struct SecretFileOptions;

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
    friend Secret read_secret_file(const std::string& path, const SecretFileOptions& options);
    std::string m_value;
};

/// The largest file a secret is read from: passphrases and passwords are a line, not a file.
inline constexpr std::size_t max_secret_file_size = 4096;

/// What read_secret_file accepts.
struct SecretFileOptions {
    bool allow_empty = false;     ///< an empty first line is a secret (e.g. a keystore asked for without one)
    std::string_view empty_hint;  ///< added to the error for an empty file ("give --empty-password to ...")
};

/// Reads a secret: the first line of `path` (line end removed), a regular file or a pipe (`<(command)`,
/// a FIFO), at most max_secret_file_size bytes. The one reader of every passphrase and password file.
/// Throws Error(invalid_input) naming the file (never its content) if it does not exist, is a directory, a
/// device such as /dev/zero, too large, unreadable, or empty without allow_empty.
Secret read_secret_file(const std::string& path, const SecretFileOptions& options = {});

}  // namespace certfleet::core
