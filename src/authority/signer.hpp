#pragma once

#include "authority/profile.hpp"
#include "authority/serial_number.hpp"
#include "core/clock.hpp"
#include "pki/openssl_handles.hpp"
#include "pki/subject_alt_names.hpp"

#include <vector>

namespace certfleet::authority {

/// Everything that goes into one certificate besides the issuer.
struct CertificateContent {
    const X509_NAME* subject = nullptr;
    EVP_PKEY* subject_key = nullptr;  ///< the public key to certify, already decoded (X509_REQ_get0_pubkey)
    std::vector<pki::GeneralName> subject_alt_names;
    core::TimePoint not_before;
    core::TimePoint not_after;
    const Profile* profile = nullptr;
    const ProfileSet* urls = nullptr;  ///< CRL distribution points and AIA; nullptr for none
    SerialNumber serial;
};

/// Builds and signs an X.509 v3 certificate with `issuer_key` (SHA-256; Ed25519 signs directly).
/// `issuer` nullptr makes it self-signed. Throws Error(internal) if OpenSSL fails.
pki::X509Ptr sign_certificate(const CertificateContent& content, const X509* issuer, EVP_PKEY* issuer_key);

}  // namespace certfleet::authority
