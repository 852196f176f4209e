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
    /// The same key as the CSR carries it: when given, its encoding is copied into the certificate as is,
    /// instead of re-encoding subject_key (OpenSSL 3 would encode and then decode it again, costing more
    /// than the signature).
    const X509_PUBKEY* subject_spki = nullptr;
    std::vector<pki::GeneralName> subject_alt_names;
    core::TimePoint not_before;
    core::TimePoint not_after;
    const Profile* profile = nullptr;
    const ProfileSet* urls = nullptr;  ///< CRL distribution points and AIA; nullptr for none
    SerialNumber serial;
    /// Prebuilt profile extensions (build_extension_template); nullptr builds them for this certificate.
    const X509* extension_template = nullptr;
};

/// Returns a holder of the extensions that depend only on `profile`, the subject key's ability to encrypt
/// and `issuer` (basicConstraints, keyUsage, extendedKeyUsage, authorityKeyIdentifier, CRL DP, AIA), built
/// once so that each issuance copies them instead of parsing their text again.
pki::X509Ptr build_extension_template(const Profile& profile,
                                      bool subject_can_encrypt,
                                      const ProfileSet* urls,
                                      const X509* issuer);

/// Builds and signs an X.509 v3 certificate with `issuer_key` (SHA-256; Ed25519 signs directly).
/// `issuer` nullptr makes it self-signed. Throws Error(internal) if OpenSSL fails.
pki::X509Ptr sign_certificate(const CertificateContent& content, const X509* issuer, EVP_PKEY* issuer_key);

}  // namespace certfleet::authority
