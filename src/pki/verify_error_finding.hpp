#pragma once
// How chain_verifier turns an OpenSSL verification error into a Finding with a message for people.

#include "pki/chain_verifier.hpp"

namespace certfleet::pki {

/// Returns the finding for OpenSSL error `error` (X509_V_ERR_*) reported at `depth` of `chain` (-1: no
/// depth) while checking `current` (borrowed; nullptr: the chain's certificate at `depth`, if any). The
/// message names the certificate and says what is wrong in the terms of `options` and `purpose`.
Finding finding_for_verify_error(int error,
                                 int depth,
                                 X509* current,
                                 const std::vector<Certificate>& chain,
                                 const VerifyOptions& options,
                                 Purpose purpose);

}  // namespace certfleet::pki
