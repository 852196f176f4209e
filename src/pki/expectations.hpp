#pragma once

#include "core/clock.hpp"
#include "core/duration.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "pki/finding.hpp"
#include "pki/public_key.hpp"

#include <optional>
#include <string>
#include <vector>

namespace certfleet::pki {

/// What an operator expects of a certificate beyond a valid chain (host, IP and purpose are checked by
/// OpenSSL during verify_chain; these are the rest). Every field is optional.
struct Expectations {
    std::string issuer;  ///< DN the leaf's issuer must equal ("CN=Sub CA,O=Acme"); "" none
    std::optional<core::Seconds> min_remaining;  ///< validity every certificate must still have
    std::optional<PublicKey> key;                ///< the leaf must hold this public key (of the private key)
    const Csr* csr = nullptr;                    ///< the leaf must be issued for this CSR (borrowed)
};

/// Returns an issuer_mismatch finding unless the leaf's issuer has exactly the attributes of `expected`,
/// in any order (each compared as RFC 5280 7.1 asks: case and whitespace folded, string types ignored).
/// Throws Error(invalid_input) if `expected` is not a distinguished name.
std::optional<Finding> check_issuer(const Certificate& leaf, const std::string& expected);

/// Returns an expires_soon finding for each certificate of `chain` valid at `at` but with less than
/// `min_remaining` left (expired ones are verify_chain's to report).
std::vector<Finding> check_remaining(const std::vector<Certificate>& chain,
                                     core::Seconds min_remaining,
                                     core::TimePoint at);

/// Returns a key_mismatch finding unless the leaf holds `key`.
std::optional<Finding> check_key(const Certificate& leaf, const PublicKey& key);

/// Returns csr_mismatch findings unless the leaf has the CSR's public key and its subject attributes
/// (in any order: CAs reorder subjects to their policy).
std::vector<Finding> check_csr(const Certificate& leaf, const Csr& csr);

/// Runs every check `expected` asks for against `chain` (leaf first, as verify_chain built it) at `at`.
/// Throws Error(invalid_input) if `chain` is empty or the expected issuer is not a name.
std::vector<Finding> check_expectations(const std::vector<Certificate>& chain,
                                        const Expectations& expected,
                                        core::TimePoint at);

}  // namespace certfleet::pki
