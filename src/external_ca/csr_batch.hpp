#pragma once

#include "core/file.hpp"
#include "external_ca/host_request.hpp"
#include "pki/csr.hpp"
#include "pki/private_key.hpp"

#include <string>
#include <vector>

namespace certfleet::external_ca {

/// A host's new key and the CSR to send to the external CA.
struct PreparedHost {
    HostRequest request;
    pki::PrivateKey key;
    pki::Csr csr;
};

/// Generates a key and a CSR (serverAuth + clientAuth requested) for every host of `plan`.
std::vector<PreparedHost> prepare_csrs(const CsrPlan& plan);

/// The name of the manifest `external import` reads back from the CSR directory.
inline constexpr const char* manifest_file_name = "csr-summary.json";

/// Writes NAME.key (0600), NAME.csr, csr-summary.json (what was asked: names, subjects, SANs, CSR and
/// public-key SHA-256) and csr-summary.txt (the same as a table, to send to the customer) into `dir`.
/// Every path is checked before anything is written, so a refusal leaves the directory as it was.
/// Throws Error(conflict) if a file exists and overwrite is refuse; Error(invalid_input) if `dir` is missing.
void write_csr_batch(const std::string& dir,
                     const std::vector<PreparedHost>& hosts,
                     core::Overwrite overwrite);

}  // namespace certfleet::external_ca
