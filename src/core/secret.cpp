#include "core/secret.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

#include <fmt/format.h>

namespace certfleet::core {

Secret::~Secret() {
    // Wipe the whole buffer, not just size(): a moved-from string keeps its old bytes past its new,
    // zero size (libstdc++'s short-string buffer, or the buffer a move assignment swapped in).
    m_value.resize(m_value.capacity());
    // A volatile write loop is what OPENSSL_cleanse does; core/ must not depend on OpenSSL.
    volatile char* p = m_value.data();
    for (std::size_t i = 0; i < m_value.size(); ++i) {
        p[i] = 0;
    }
}

Secret read_secret_file(const std::string& path, const SecretFileOptions& options) {
    // Held in a Secret at once, so that every way out (including the throws below) wipes it.
    Secret bytes;
    try {
        bytes = Secret(read_file(path, {.max_size = max_secret_file_size, .pipes = PipeInput::accept}));
    } catch (const Error& e) {
        // A secret file that is not there is a mistake in the command, not a missing object (exit 2).
        throw Error(ErrorCode::invalid_input, e.what());
    }
    std::string& text = bytes.m_value;
    const std::size_t line_end = text.find_first_of("\r\n");
    if (line_end != std::string::npos) {
        text.resize(line_end);  // shrinking keeps the buffer: the destructor wipes what follows
    }
    if (text.empty() && !options.allow_empty) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: is empty (its first line is the secret){}",
                                path,
                                options.empty_hint.empty() ? "" : fmt::format("; {}", options.empty_hint)));
    }
    return bytes;
}

}  // namespace certfleet::core
