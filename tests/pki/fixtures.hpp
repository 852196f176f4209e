#pragma once
// Reads the fixtures made by tests/data/make_data.sh and make_verify_data.sh.

#include "core/file.hpp"
#include "fixture_files.hpp"
#include "pki/certificate.hpp"
#include "pki/crl.hpp"
#include "pki/csr.hpp"
#include "pki/pem_reader.hpp"
#include "pki/private_key.hpp"

#include <string>

namespace certfleet::pki::testing {

/// Returns the path of a fixture in tests/data's pki/ folder, e.g. fixture_path("server.pem").
inline std::string fixture_path(const std::string& name) {
    return certfleet::testing::fixture_path("pki/" + name);
}

inline Certificate load_certificate(const std::string& name) {
    return Certificate::from_pem(core::read_file(fixture_path(name)), name);
}

inline PrivateKey load_key(const std::string& name) {
    return PrivateKey::from_pem(core::read_file(fixture_path(name)), name, nullptr);
}

inline Csr load_csr(const std::string& name) {
    return Csr::from_pem(core::read_file(fixture_path(name)), name);
}

inline Crl load_crl(const std::string& name) {
    return Crl::from_der(read_pem_blocks(core::read_file(fixture_path(name)), name).at(0).der, name);
}

}  // namespace certfleet::pki::testing
