#pragma once
// The certified keys formats/ tests package, made from the fixtures of tests/data/make_data.sh.

#include "fixture_files.hpp"
#include "formats/certified_key_reader.hpp"

#include <string>

namespace certfleet::formats::testing {

/// Returns the bytes of a fixture in tests/data's pki/ folder, e.g. pki_fixture("server.pem").
inline std::string pki_fixture(const std::string& name) {
    return certfleet::testing::read_fixture("pki/" + name);
}

/// Returns server.pem with its key and its chain up to the root (intermediate.pem, root.pem).
inline CertifiedKey server_bundle() {
    return read_certified_key(pki_fixture("server.pem") + pki_fixture("intermediate.pem") +
                                  pki_fixture("root.pem") + pki_fixture("server.key"),
                              "inputs",
                              {});
}

}  // namespace certfleet::formats::testing
