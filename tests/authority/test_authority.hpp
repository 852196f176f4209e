#pragma once
// An authority made for a test in any store (SQLite in memory, or the throwaway PostgreSQL of the pg
// label): an EC root with an intermediate, the key encrypted with few PBKDF2 iterations.

#include "authority/authority.hpp"
#include "authority/authority_setup.hpp"

#include <string>

namespace certfleet::authority {

inline const core::Secret& test_passphrase() {
    static const core::Secret passphrase{"correct horse battery staple"};
    return passphrase;
}

/// Creates authority `name` in `store` at `at` (intermediate under a root whose key the store keeps).
inline void init_test_authority(store::Store& store, const std::string& name, core::TimePoint at) {
    init_authority(store,
                   {.name = name,
                    .subject = "CN=" + name + " Root,O=Test",
                    .intermediate = true,
                    .key = pki::KeySpec::parse("ec:p256", "test"),
                    .validity = std::chrono::hours(24 * 3650),
                    .key_iterations = 1000},
                   test_passphrase(),
                   {.name = "test", .at = at});
}

}  // namespace certfleet::authority
