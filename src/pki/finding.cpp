#include "pki/finding.hpp"

#include "pki/certificate.hpp"

#include <fmt/format.h>
#include <openssl/x509_vfy.h>

#include <array>

namespace certfleet::pki {

namespace {

// The names of FindingCode, in declaration order.
constexpr std::array<std::string_view, 55> finding_code_names{
    "expired",
    "not_yet_valid",
    "host_mismatch",
    "ip_mismatch",
    "purpose_mismatch",
    "issuer_mismatch",
    "key_mismatch",
    "csr_mismatch",
    "chain_incomplete",
    "untrusted_root",
    "signature_invalid",
    "revoked",
    "revocation_unknown",
    "expires_soon",
    "path_length_exceeded",
    "chain_too_long",
    "invalid_ca",
    "name_constraint_violation",
    "policy_violation",
    "unhandled_critical_extension",
    "malformed_certificate",
    "weak_key",
    "weak_signature",
    "chain_out_of_order",
    "self_signed_leaf",
    "verification_failed",
    "serial_not_positive",
    "serial_too_long",
    "name_constraints_in_leaf",
    "name_constraints_empty",
    "name_constraint_invalid",
    "name_constraint_leading_dot",
    "wildcard_reaches_excluded",
    "malformed_dns_name",
    "san_missing",
    "san_critical_with_subject",
    "common_name_ip_not_canonical",
    "common_name_case_mismatch",
    "common_name_not_ascii",
    "wildcard_public_suffix",
    "eku_empty",
    "eku_critical",
    "eku_on_anchor",
    "eku_any_in_leaf",
    "anchor_aki_without_key_id",
    "anchor_aki_mismatch",
    "anchor_aki_issuer_serial",
    "dsa_key",
    "rsa_size_not_byte_multiple",
    "leaf_not_v3",
    "leaf_ca_without_cert_sign",
    "malformed_aia",
    "policy_constraints_not_critical",
    "crl_number_missing",
    "bad_self_signature",
};
static_assert(static_cast<std::size_t>(FindingCode::bad_self_signature) + 1 == finding_code_names.size(),
              "every FindingCode has a name, in order");

}  // namespace

std::string_view to_string(FindingCode code) noexcept {
    const auto index = static_cast<std::size_t>(code);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-bounds-constant-array-index): checked on the line itself
    return index < finding_code_names.size() ? finding_code_names[index] : "verification_failed";
}

FindingCode finding_code_for_verify_error(int error) noexcept {
    switch (error) {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return FindingCode::expired;
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return FindingCode::not_yet_valid;
        case X509_V_ERR_HOSTNAME_MISMATCH:
            return FindingCode::host_mismatch;
        case X509_V_ERR_IP_ADDRESS_MISMATCH:
            return FindingCode::ip_mismatch;
        case X509_V_ERR_INVALID_PURPOSE:
            return FindingCode::purpose_mismatch;
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        // What internal_verify says of a lone leaf whose issuer was not found (after the callback let
        // UNABLE_TO_GET_ISSUER_CERT_LOCALLY pass): the same missing issuer.
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            return FindingCode::chain_incomplete;
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_CERT_UNTRUSTED:
        case X509_V_ERR_CERT_REJECTED:
            return FindingCode::untrusted_root;
        case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
        case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
            return FindingCode::signature_invalid;
        case X509_V_ERR_CERT_REVOKED:
            return FindingCode::revoked;
        case X509_V_ERR_UNABLE_TO_GET_CRL:
        case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
        case X509_V_ERR_CRL_HAS_EXPIRED:
        case X509_V_ERR_CRL_NOT_YET_VALID:
        case X509_V_ERR_CRL_SIGNATURE_FAILURE:
        case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
        case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
        case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
        case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
        case X509_V_ERR_DIFFERENT_CRL_SCOPE:
        case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
        case X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
            return FindingCode::revocation_unknown;
        case X509_V_ERR_PATH_LENGTH_EXCEEDED:
            return FindingCode::path_length_exceeded;
        case X509_V_ERR_CERT_CHAIN_TOO_LONG:
            return FindingCode::chain_too_long;
        case X509_V_ERR_INVALID_CA:
        case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
            return FindingCode::invalid_ca;
        case X509_V_ERR_PERMITTED_VIOLATION:
        case X509_V_ERR_EXCLUDED_VIOLATION:
        case X509_V_ERR_SUBTREE_MINMAX:
        case X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE:
        case X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX:
        case X509_V_ERR_UNSUPPORTED_NAME_SYNTAX:
        case X509_V_ERR_PROXY_SUBJECT_NAME_VIOLATION:
            return FindingCode::name_constraint_violation;
        case X509_V_ERR_INVALID_POLICY_EXTENSION:
        case X509_V_ERR_NO_EXPLICIT_POLICY:
            return FindingCode::policy_violation;
        case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
            return FindingCode::unhandled_critical_extension;
        case X509_V_ERR_EE_KEY_TOO_SMALL:
        case X509_V_ERR_CA_KEY_TOO_SMALL:
            return FindingCode::weak_key;
        case X509_V_ERR_CA_MD_TOO_WEAK:
            return FindingCode::weak_signature;
        case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
        case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
        case X509_V_ERR_INVALID_EXTENSION:
        case X509_V_ERR_INVALID_NON_CA:
        case X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA:
        case X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN:
        case X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA:
        case X509_V_ERR_ISSUER_NAME_EMPTY:
        case X509_V_ERR_SUBJECT_NAME_EMPTY:
        case X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER:
        case X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER:
        case X509_V_ERR_EMPTY_SUBJECT_ALT_NAME:
        case X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL:
        case X509_V_ERR_CA_BCONS_NOT_CRITICAL:
        case X509_V_ERR_CA_CERT_MISSING_KEY_USAGE:
        case X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3:
        case X509_V_ERR_EC_KEY_EXPLICIT_PARAMS:
        case X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL:
        case X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL:
        case X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH:
        case X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY:
        case X509_V_ERR_INVALID_CALL:
            return FindingCode::malformed_certificate;
        default:
            return FindingCode::verification_failed;
    }
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
