#pragma once
// The libFuzzer entry points every tests/fuzz/NAME_fuzz.cpp defines, and what the targets share.

#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace certfleet::fuzz {

/// Returns the fuzz input as text (bytes, not necessarily UTF-8).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Runs `read` on one input. core::Error is the documented answer to bad input and is swallowed; any
/// other exception escapes, and libFuzzer reports it as a crash (a finding).
template <typename Read>
void expect_only_core_errors(Read&& read) {
    try {
        read();
    } catch (const core::Error&) {
    }
}

}  // namespace certfleet::fuzz
