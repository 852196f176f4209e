#include "pki/finding.hpp"

#include "pki/certificate.hpp"

#include <fmt/format.h>
#include <openssl/x509_vfy.h>

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
        case FindingCode::chain_out_of_order:
            return "chain_out_of_order";
        case FindingCode::self_signed_leaf:
            return "self_signed_leaf";
        case FindingCode::verification_failed:
            return "verification_failed";
    }
    return "verification_failed";
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
