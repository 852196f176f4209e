#pragma once

#include "pki/certificate.hpp"

#include <string_view>
#include <vector>

namespace certfleet::pki {

/// Checks that `issuers` is the chain of `leaf` in order, leaf first: issuers[0] issued the leaf,
/// issuers[i + 1] issued issuers[i] (names and signatures, Certificate::is_issued_by). The root may be
/// present (last) or absent. This is about the order operators and servers send; trust is decided by
/// chain verification, not here.
/// Throws Error(invalid_input) naming `source` and the certificate at fault: "out of order: the issuer of
/// certificate 2 (CN=Sub) is certificate 3, not certificate 3 ..." or "gap: nothing in the chain issued
/// certificate 2 (CN=Sub), whose issuer is CN=Other", or a certificate after a self-signed root.
void require_chain_order(const Certificate& leaf,
                         const std::vector<Certificate>& issuers,
                         std::string_view source);

/// Returns `certificates` reordered leaf first (the one that issues none of the others first), or
/// throws as require_chain_order if they do not form one chain.
std::vector<Certificate> order_chain(std::vector<Certificate> certificates, std::string_view source);

}  // namespace certfleet::pki
