#include "authority/crl_builder.hpp"

#include "authority/revocation.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

namespace certfleet::authority {
namespace {

using core::ErrorCode;

pki::Asn1TimePtr to_asn1_time(core::TimePoint at) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
    pki::Asn1TimePtr time(ASN1_TIME_set(nullptr, static_cast<time_t>(seconds)));
    if (!time) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot encode CRL time");
    }
    return time;
}

pki::Asn1IntegerPtr serial_from_hex(const std::string& hex) {
    BIGNUM* raw = nullptr;
    if (BN_hex2bn(&raw, hex.c_str()) == 0) {
        pki::throw_openssl_error(ErrorCode::internal, fmt::format("bad stored serial {}", hex));
    }
    const pki::BignumPtr bn(raw);
    pki::Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
    if (!serial) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot encode serial");
    }
    return serial;
}

}  // namespace

pki::Crl build_crl(const CrlContent& content, X509* issuer, EVP_PKEY* issuer_key) {
    pki::X509CrlPtr crl(X509_CRL_new());
    const auto this_update = to_asn1_time(content.this_update);
    const auto next_update = to_asn1_time(content.next_update);
    if (!crl || X509_CRL_set_version(crl.get(), 1) != 1 ||
        X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer)) != 1 ||
        X509_CRL_set1_lastUpdate(crl.get(), this_update.get()) != 1 ||
        X509_CRL_set1_nextUpdate(crl.get(), next_update.get()) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot build CRL");
    }
    for (const store::CertificateRecord& record : *content.revoked) {
        pki::X509RevokedPtr entry(X509_REVOKED_new());
        const auto serial = serial_from_hex(record.serial_hex);
        const auto when = to_asn1_time(record.revoked_at.value_or(content.this_update));
        if (!entry || X509_REVOKED_set_serialNumber(entry.get(), serial.get()) != 1 ||
            X509_REVOKED_set_revocationDate(entry.get(), when.get()) != 1) {
            pki::throw_openssl_error(ErrorCode::internal, "cannot build CRL entry");
        }
        const RevocationReason reason = record.revocation_reason.empty()
                                            ? RevocationReason::unspecified
                                            : parse_revocation_reason(record.revocation_reason);
        // RFC 5280 5.3.1: "the reason code CRL entry extension SHOULD be absent instead of using the
        // unspecified (0) reasonCode value"
        if (reason != RevocationReason::unspecified) {
            pki::Asn1EnumeratedPtr code(ASN1_ENUMERATED_new());
            if (!code || ASN1_ENUMERATED_set(code.get(), static_cast<long>(reason)) != 1 ||
                X509_REVOKED_add1_ext_i2d(entry.get(), NID_crl_reason, code.get(), 0, 0) != 1) {
                pki::throw_openssl_error(ErrorCode::internal, "cannot add CRL reason");
            }
        }
        if (X509_CRL_add0_revoked(crl.get(), entry.get()) != 1) {
            pki::throw_openssl_error(ErrorCode::internal, "cannot add CRL entry");
        }
        static_cast<void>(entry.release());  // the CRL owns it now
    }
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, nullptr, nullptr, crl.get(), 0);
    const pki::X509ExtensionPtr aki(
        X509V3_EXT_nconf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
    const pki::Asn1IntegerPtr number(ASN1_INTEGER_new());
    if (!aki || X509_CRL_add_ext(crl.get(), aki.get(), -1) != 1 || !number ||
        ASN1_INTEGER_set_int64(number.get(), content.number) != 1 ||
        X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot add CRL extensions");
    }
    X509_CRL_sort(crl.get());
    const int id = EVP_PKEY_get_base_id(issuer_key);
    const EVP_MD* md = (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) ? nullptr : EVP_sha256();
    if (X509_CRL_sign(crl.get(), issuer_key, md) <= 0) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot sign CRL");
    }
    return pki::Crl(std::move(crl));
}

}  // namespace certfleet::authority
