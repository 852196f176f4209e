#include "pki/expectations.hpp"

#include "pki/distinguished_name.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

// Returns a name holding only `entry`, so that entries can be compared as X509_NAME_cmp compares names.
X509NamePtr single_entry_name(const X509_NAME_ENTRY* entry) {
    X509NamePtr name(X509_NAME_new());
    if (!name || X509_NAME_add_entry(name.get(), entry, -1, 0) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot copy a name attribute");
    }
    return name;
}

// Returns true if both names hold the same attributes (each compared case- and space-folded, as
// RFC 5280 7.1), in any order. `openssl ca` and many CAs reorder a CSR's subject to their policy's
// attribute order, and that certificate was still issued for that CSR; likewise an operator writing
// "CN=Sub CA,O=Acme" means the CA whose RFC 4514 form happens to be "O=Acme,CN=Sub CA".
bool same_attributes(const X509_NAME* a, const X509_NAME* b) {
    const int count = X509_NAME_entry_count(a);
    if (count != X509_NAME_entry_count(b)) {
        return false;
    }
    std::vector<X509NamePtr> unmatched;
    unmatched.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        unmatched.push_back(single_entry_name(X509_NAME_get_entry(b, i)));
    }
    for (int i = 0; i < count; ++i) {
        const X509NamePtr wanted = single_entry_name(X509_NAME_get_entry(a, i));
        const auto found =
            std::find_if(unmatched.begin(), unmatched.end(), [&](const X509NamePtr& candidate) {
                return X509_NAME_cmp(candidate.get(), wanted.get()) == 0;
            });
        if (found == unmatched.end()) {
            return false;
        }
        unmatched.erase(found);
    }
    return true;
}

}  // namespace

std::optional<Finding> check_issuer(const Certificate& leaf, const std::string& expected) {
    const X509NamePtr wanted = parse_name(expected, "--issuer");
    if (same_attributes(X509_get_issuer_name(leaf.structure()), wanted.get())) {
        return std::nullopt;
    }
    return Finding{.code = FindingCode::issuer_mismatch,
                   .certificate_index = 0,
                   .message = fmt::format(R"({}: issued by "{}", expected "{}")",
                                          describe_certificate(0, leaf),
                                          leaf.issuer(),
                                          format_name(wanted.get()))};
}

std::vector<Finding> check_remaining(const std::vector<Certificate>& chain,
                                     core::Seconds min_remaining,
                                     core::TimePoint at) {
    std::vector<Finding> findings;
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const Certificate& certificate = chain[i];
        if (!certificate.is_valid_at(at)) {
            continue;
        }
        const auto left = std::chrono::duration_cast<core::Seconds>(certificate.not_after() - at);
        if (left < min_remaining) {
            findings.push_back({.code = FindingCode::expires_soon,
                                .certificate_index = i,
                                .message = fmt::format("{}: expires {} ({} days left, less than {})",
                                                       describe_certificate(i, certificate),
                                                       format_time(certificate.not_after()),
                                                       left.count() / 86400,
                                                       core::format_duration(min_remaining))});
        }
    }
    return findings;
}

std::optional<Finding> check_key(const Certificate& leaf, const PublicKey& key) {
    if (leaf.public_key().matches(key)) {
        return std::nullopt;
    }
    return Finding{.code = FindingCode::key_mismatch,
                   .certificate_index = 0,
                   .message = fmt::format("key does not match {}", describe_certificate(0, leaf))};
}

std::vector<Finding> check_csr(const Certificate& leaf, const Csr& csr) {
    std::vector<Finding> findings;
    if (!leaf.public_key().matches(csr.public_key())) {
        findings.push_back({.code = FindingCode::csr_mismatch,
                            .certificate_index = 0,
                            .message = fmt::format("{} was not issued for the CSR: its public key differs",
                                                   describe_certificate(0, leaf))});
    }
    if (!same_attributes(X509_get_subject_name(leaf.structure()), X509_REQ_get_subject_name(csr.get()))) {
        findings.push_back(
            {.code = FindingCode::csr_mismatch,
             .certificate_index = 0,
             .message = fmt::format(R"({} was not issued for the CSR: subject "{}", CSR asks for "{}")",
                                    describe_certificate(0, leaf),
                                    leaf.subject(),
                                    csr.subject())});
    }
    return findings;
}

std::vector<Finding> check_expectations(const std::vector<Certificate>& chain,
                                        const Expectations& expected,
                                        core::TimePoint at) {
    if (chain.empty()) {
        throw Error(ErrorCode::invalid_input, "no certificate to check");
    }
    const Certificate& leaf = chain.front();
    std::vector<Finding> findings;
    if (!expected.issuer.empty()) {
        if (auto finding = check_issuer(leaf, expected.issuer)) {
            findings.push_back(std::move(*finding));
        }
    }
    if (expected.key) {
        if (auto finding = check_key(leaf, *expected.key)) {
            findings.push_back(std::move(*finding));
        }
    }
    if (expected.csr != nullptr) {
        for (Finding& finding : check_csr(leaf, *expected.csr)) {
            findings.push_back(std::move(finding));
        }
    }
    if (expected.min_remaining) {
        for (Finding& finding : check_remaining(chain, *expected.min_remaining, at)) {
            findings.push_back(std::move(finding));
        }
    }
    return findings;
}

}  // namespace certfleet::pki
