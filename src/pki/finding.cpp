#include "pki/finding.hpp"

#include "pki/certificate.hpp"

#include <fmt/format.h>

namespace certfleet::pki {

std::string_view to_string(FindingCode code) noexcept {
    switch (code) {
        case FindingCode::expired:
            return "expired";
        case FindingCode::not_yet_valid:
            return "not_yet_valid";
        case FindingCode::host_mismatch:
            return "host_mismatch";
        case FindingCode::ip_mismatch:
            return "ip_mismatch";
        case FindingCode::purpose_mismatch:
            return "purpose_mismatch";
        case FindingCode::issuer_mismatch:
            return "issuer_mismatch";
        case FindingCode::key_mismatch:
            return "key_mismatch";
        case FindingCode::csr_mismatch:
            return "csr_mismatch";
        case FindingCode::chain_incomplete:
            return "chain_incomplete";
        case FindingCode::untrusted_root:
            return "untrusted_root";
        case FindingCode::signature_invalid:
            return "signature_invalid";
        case FindingCode::revoked:
            return "revoked";
        case FindingCode::revocation_unknown:
            return "revocation_unknown";
        case FindingCode::expires_soon:
            return "expires_soon";
        case FindingCode::path_length_exceeded:
            return "path_length_exceeded";
        case FindingCode::chain_too_long:
            return "chain_too_long";
        case FindingCode::invalid_ca:
            return "invalid_ca";
        case FindingCode::name_constraint_violation:
            return "name_constraint_violation";
        case FindingCode::policy_violation:
            return "policy_violation";
        case FindingCode::unhandled_critical_extension:
            return "unhandled_critical_extension";
        case FindingCode::malformed_certificate:
            return "malformed_certificate";
        case FindingCode::weak_key:
            return "weak_key";
        case FindingCode::weak_signature:
            return "weak_signature";
        case FindingCode::verification_failed:
            return "verification_failed";
    }
    return "verification_failed";
}

std::string describe_certificate(std::size_t index, const Certificate& certificate) {
    const std::string common_name = certificate.subject_common_name();
    if (!common_name.empty()) {
        return fmt::format("cert {} (CN={})", index, common_name);
    }
    const std::string subject = certificate.subject();
    return subject.empty() ? fmt::format("cert {} (empty subject)", index)
                           : fmt::format("cert {} ({})", index, subject);
}

}  // namespace certfleet::pki
