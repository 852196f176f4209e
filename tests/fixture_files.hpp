#pragma once
// Where tests find the fixtures made by tests/data/make_data.sh (CERTFLEET_TEST_DATA) and how they read them.

#include "core/file.hpp"

#include <string>
#include <string_view>

namespace certfleet::testing {

/// Returns the path of a fixture, e.g. fixture_path("pki/server.pem").
inline std::string fixture_path(std::string_view name) {
    return std::string(CERTFLEET_TEST_DATA) + "/" + std::string(name);
}

/// Returns the bytes of a fixture.
inline std::string read_fixture(std::string_view name) {
    return core::read_file(fixture_path(name));
}

}  // namespace certfleet::testing
