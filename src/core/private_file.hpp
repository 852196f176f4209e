#pragma once

#include "core/secret.hpp"

#include <cstddef>
#include <string>

namespace certfleet::core {

/// Reads a file that holds several secrets (the ACME external account binding keys, one per line) whole:
/// a regular file of at most `max_size` bytes that only its owner may read or write. The bytes are a
/// Secret from the moment they are read. read_secret_file (secret.hpp) stays the reader of one-line
/// passphrases, which may come from a pipe.
/// Throws Error(invalid_input) naming the file (never its content) if it does not exist, is not a regular
/// file, is larger than `max_size`, or gives its group or others any access (mode & 077; "chmod 600").
Secret read_private_file(const std::string& path, std::size_t max_size);

}  // namespace certfleet::core
