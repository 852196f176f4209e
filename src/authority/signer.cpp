#include "authority/signer.hpp"

#include <fmt/format.h>

#include <string>

namespace certfleet::authority {
namespace {

using core::ErrorCode;

void add_config_extension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
    const pki::X509ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value.c_str()));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
        pki::throw_openssl_error(ErrorCode::internal,
                                 fmt::format("cannot add extension {}={}", OBJ_nid2sn(nid), value));
    }
}

std::string join(const std::vector<std::string>& values, std::string_view prefix = "") {
    std::string out;
    for (const auto& v : values) {
        out += (out.empty() ? "" : ",") + std::string(prefix) + v;
    }
    return out;
}

void set_time(ASN1_TIME* field, core::TimePoint at) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
    if (ASN1_TIME_set(field, static_cast<time_t>(seconds)) == nullptr) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot set certificate validity");
    }
}

bool can_encrypt(EVP_PKEY* key) {
    const int id = EVP_PKEY_get_base_id(key);
    return id == EVP_PKEY_RSA;
}

}  // namespace

pki::X509Ptr sign_certificate(const CertificateContent& content, const X509* issuer, EVP_PKEY* issuer_key) {
    pki::X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    const pki::Asn1IntegerPtr serial(ASN1_INTEGER_new());
    if (!serial ||
        ASN1_STRING_set(
            serial.get(), content.serial.bytes.data(), static_cast<int>(content.serial.bytes.size())) != 1 ||
        X509_set_serialNumber(cert.get(), serial.get()) != 1 ||
        X509_set_subject_name(cert.get(), content.subject) != 1 ||
        X509_set_issuer_name(cert.get(),
                             issuer != nullptr ? X509_get_subject_name(issuer) : content.subject) != 1 ||
        X509_set_pubkey(cert.get(), content.subject_key) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot build certificate");
    }
    set_time(X509_getm_notBefore(cert.get()), content.not_before);
    set_time(X509_getm_notAfter(cert.get()), content.not_after);

    X509V3_CTX ctx;
    X509V3_set_ctx(
        &ctx, issuer != nullptr ? const_cast<X509*>(issuer) : cert.get(), cert.get(), nullptr, nullptr, 0);
    const Profile& profile = *content.profile;
    // RFC 5280 4.2.1.9: "Conforming CAs MUST include this extension in all CA certificates that contain
    // public keys used to validate digital signatures on certificates and MUST mark the extension as
    // critical"
    if (profile.is_ca) {
        add_config_extension(cert.get(),
                             &ctx,
                             NID_basic_constraints,
                             profile.path_length
                                 ? fmt::format("critical,CA:TRUE,pathlen:{}", *profile.path_length)
                                 : std::string("critical,CA:TRUE"));
    } else {
        add_config_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE");
    }
    std::vector<std::string> usages;
    for (const auto& usage : profile.key_usage) {
        // keyEncipherment only means something for keys that can encrypt (RSA key transport).
        if (usage != "keyEncipherment" || can_encrypt(content.subject_key)) {
            usages.push_back(usage);
        }
    }
    if (!usages.empty()) {
        add_config_extension(cert.get(), &ctx, NID_key_usage, "critical," + join(usages));
    }
    if (!profile.extended_key_usage.empty()) {
        add_config_extension(cert.get(), &ctx, NID_ext_key_usage, join(profile.extended_key_usage));
    }
    // RFC 5280 4.2.1.2: "this extension MUST appear in all conforming CA certificates"; we add it to all.
    add_config_extension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
    add_config_extension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
    if (!content.subject_alt_names.empty()) {
        const pki::GeneralNamesPtr names = pki::to_general_names(content.subject_alt_names);
        if (X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
            pki::throw_openssl_error(ErrorCode::internal, "cannot add subjectAltName");
        }
    }
    if (content.urls != nullptr && issuer != nullptr) {
        if (!content.urls->crl_distribution_points.empty()) {
            add_config_extension(cert.get(),
                                 &ctx,
                                 NID_crl_distribution_points,
                                 join(content.urls->crl_distribution_points, "URI:"));
        }
        std::vector<std::string> access;
        for (const auto& url : content.urls->ca_issuers_urls) {
            access.push_back("caIssuers;URI:" + url);
        }
        for (const auto& url : content.urls->ocsp_urls) {
            access.push_back("OCSP;URI:" + url);
        }
        if (!access.empty()) {
            add_config_extension(cert.get(), &ctx, NID_info_access, join(access));
        }
    }
    const int id = EVP_PKEY_get_base_id(issuer_key);
    const EVP_MD* md = (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) ? nullptr : EVP_sha256();
    if (X509_sign(cert.get(), issuer_key, md) <= 0) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot sign certificate");
    }
    return cert;
}

}  // namespace certfleet::authority
