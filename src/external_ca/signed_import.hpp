#pragma once

#include "core/clock.hpp"
#include "core/duration.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "pki/object_reader.hpp"
#include "pki/private_key.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::external_ca {

/// A host of a CSR batch as `external csr` left it: what was asked, its key and its CSR.
struct RequestedHost {
    std::string name;
    std::string subject;
    std::vector<std::string> subject_alt_names;  ///< "DNS:node1" form, as asked
    pki::PrivateKey key;
    pki::Csr csr;
};

/// Reads csr-summary.json and every host's key and CSR back from `dir`.
/// Throws Error(invalid_input) naming the file for a missing or damaged manifest, key or CSR.
std::vector<RequestedHost> read_requested_hosts(const std::string& dir);

/// The checks seed 000 runs by hand on every signed certificate; each is a column of the report.
enum class ImportCheck { certificate, issuer, subject, names, eku, validity, key, chain };

/// Returns "certificate", "issuer", "subject", "names", "eku", "validity", "key", "chain".
std::string_view to_string(ImportCheck check) noexcept;

/// Every check, in report order.
inline constexpr std::array all_import_checks{ImportCheck::certificate,
                                              ImportCheck::issuer,
                                              ImportCheck::subject,
                                              ImportCheck::names,
                                              ImportCheck::eku,
                                              ImportCheck::validity,
                                              ImportCheck::key,
                                              ImportCheck::chain};

struct FailedCheck {
    ImportCheck check = ImportCheck::certificate;
    std::string message;
};

/// The verdict on one host: which signed certificate is its, and every check it failed.
struct HostVerdict {
    std::string host;
    std::string certificate_location;  ///< "" when no signed certificate names the host
    std::vector<FailedCheck> failures;

    [[nodiscard]] bool passed() const noexcept { return failures.empty(); }
    [[nodiscard]] bool failed(ImportCheck check) const noexcept;
};

/// How a signed certificate's subject is held to the one the CSR asked for.
enum class SubjectMatch {
    exact,  ///< the same attributes (in any order)
    cn,     ///< the same commonName: for CAs that rewrite the rest (add O=, OU=)
};

/// Parses "exact" or "cn". Throws Error(invalid_input) naming `field` for anything else.
SubjectMatch parse_subject_match(std::string_view text, std::string_view field);

/// What to hold the signed certificates to.
struct ImportExpectations {
    core::TimePoint at;             ///< validation time
    core::Seconds min_remaining{};  ///< a certificate with less left is "too short"
    std::string issuer;             ///< the DN that must have signed; "" = the chain's issuing CA
    SubjectMatch subject_match = SubjectMatch::exact;
    std::vector<std::string> required_eku{"serverAuth"};  ///< OpenSSL short names: serverAuth, clientAuth
};

/// The outcome of judging a directory of signed certificates.
struct ImportVerdict {
    std::vector<HostVerdict> hosts;          ///< one per requested host, in request order
    std::vector<std::string> unmatched;      ///< locations of signed certificates that fit no host
    std::vector<pki::Certificate> ca_chain;  ///< the customer chain, issuing CA first, root last

    [[nodiscard]] bool all_passed() const noexcept;
};

/// Matches each signed certificate to its host (by commonName or SAN) and checks, per host: issuer is
/// the customer CA, subject (as subject_match says) and SANs are what was asked, extendedKeyUsage has
/// every required_eku, the dates
/// (not yet valid, expired, less than min_remaining left), the key is the host's, and the chain is
/// complete to the customer root (OpenSSL X509_STORE, the root of `ca_chain` the only anchor).
/// A failed check is part of the verdict, not an error. Throws Error(invalid_input) if `ca_chain` has
/// no self-signed root or is not one chain.
ImportVerdict judge_signed_certificates(const std::vector<RequestedHost>& hosts,
                                        const std::vector<pki::SourcedObject>& signed_objects,
                                        std::vector<pki::Certificate> ca_chain,
                                        const ImportExpectations& expectations);

}  // namespace certfleet::external_ca
