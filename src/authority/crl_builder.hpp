#pragma once

#include "core/clock.hpp"
#include "pki/crl.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <vector>

namespace certfleet::authority {

/// What goes into one CRL.
struct CrlContent {
    std::int64_t number = 0;
    core::TimePoint this_update;
    core::TimePoint next_update;
    const std::vector<store::CertificateRecord>* revoked = nullptr;
};

/// Builds and signs a v2 CRL (RFC 5280 5) with cRLNumber, authorityKeyIdentifier and one reasonCode per
/// entry. Throws Error(internal) if OpenSSL fails.
pki::Crl build_crl(const CrlContent& content, X509* issuer, EVP_PKEY* issuer_key);

}  // namespace certfleet::authority
