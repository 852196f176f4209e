#include "authority/signer.hpp"

#include <fmt/format.h>

#include <array>
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

/// RFC 5280 4.2.1.2 method (1): "the 160-bit SHA-1 hash of the value of the BIT STRING
/// subjectPublicKey". SHA-1 is fetched once per process, not on every certificate.
void add_subject_key_identifier(X509* cert) {
    static const pki::EvpMdPtr sha1(EVP_MD_fetch(nullptr, "SHA1", nullptr));
    const ASN1_BIT_STRING* key_bits = X509_get0_pubkey_bitstr(cert);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    const pki::Asn1OctetStringPtr id(ASN1_OCTET_STRING_new());
    if (!sha1 || key_bits == nullptr || !id ||
        EVP_Digest(ASN1_STRING_get0_data(key_bits),
                   static_cast<std::size_t>(ASN1_STRING_length(key_bits)),
                   digest.data(),
                   &length,
                   sha1.get(),
                   nullptr) != 1 ||
        ASN1_OCTET_STRING_set(id.get(), digest.data(), static_cast<int>(length)) != 1 ||
        X509_add1_ext_i2d(cert, NID_subject_key_identifier, id.get(), 0, X509V3_ADD_DEFAULT) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot add subjectKeyIdentifier");
    }
}

/// Copies algorithm, parameters and key bits of `from` into the certificate's (empty) SubjectPublicKeyInfo.
void copy_public_key(X509* cert, const X509_PUBKEY* from) {
    ASN1_OBJECT* algorithm = nullptr;
    const unsigned char* bits = nullptr;
    int length = 0;
    X509_ALGOR* parameters = nullptr;
    if (X509_PUBKEY_get0_param(&algorithm, &bits, &length, &parameters, from) != 1 || length <= 0) {
        pki::throw_openssl_error(ErrorCode::invalid_input, "the CSR's public key is malformed");
    }
    const ASN1_OBJECT* parameter_oid = nullptr;
    int parameter_type = V_ASN1_UNDEF;
    const void* parameter_value = nullptr;
    X509_ALGOR_get0(&parameter_oid, &parameter_type, &parameter_value, parameters);
    static_cast<void>(parameter_oid);
    void* copied_value = nullptr;
    pki::Asn1ObjectPtr curve;
    pki::Asn1StringPtr sequence;
    if (parameter_type == V_ASN1_OBJECT) {  // named curve (EC)
        curve.reset(OBJ_dup(static_cast<const ASN1_OBJECT*>(parameter_value)));
        copied_value = curve.get();
    } else if (parameter_type == V_ASN1_SEQUENCE) {  // explicit parameters (RSA-PSS, explicit EC)
        sequence.reset(ASN1_STRING_dup(static_cast<const ASN1_STRING*>(parameter_value)));
        copied_value = sequence.get();
    } else if (parameter_type != V_ASN1_NULL && parameter_type != V_ASN1_UNDEF) {
        throw core::Error(ErrorCode::invalid_input,
                          "the CSR's public key has unsupported algorithm parameters");
    }
    pki::Asn1ObjectPtr oid(OBJ_dup(algorithm));
    pki::OpensslBytesPtr copy(
        static_cast<unsigned char*>(OPENSSL_memdup(bits, static_cast<std::size_t>(length))));
    if (!oid || !copy || (parameter_type == V_ASN1_OBJECT && !curve) ||
        (parameter_type == V_ASN1_SEQUENCE && !sequence) ||
        X509_PUBKEY_set0_param(
            X509_get_X509_PUBKEY(cert), oid.get(), parameter_type, copied_value, copy.get(), length) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot copy the public key");
    }
    // set0 took ownership of all four.
    static_cast<void>(oid.release());
    static_cast<void>(copy.release());
    static_cast<void>(curve.release());
    static_cast<void>(sequence.release());
}

bool can_encrypt(EVP_PKEY* key) {
    const int id = EVP_PKEY_get_base_id(key);
    return id == EVP_PKEY_RSA;
}

/// Adds what depends on the profile and the issuer only: basicConstraints, keyUsage, extendedKeyUsage,
/// authorityKeyIdentifier, CRL distribution points and authorityInfoAccess.
void add_profile_extensions(
    X509* cert, X509V3_CTX* ctx, const Profile& profile, bool subject_can_encrypt, const ProfileSet* urls) {
    // RFC 5280 4.2.1.9: "Conforming CAs MUST include this extension in all CA certificates that contain
    // public keys used to validate digital signatures on certificates and MUST mark the extension as
    // critical"
    if (profile.is_ca) {
        add_config_extension(cert,
                             ctx,
                             NID_basic_constraints,
                             profile.path_length
                                 ? fmt::format("critical,CA:TRUE,pathlen:{}", *profile.path_length)
                                 : std::string("critical,CA:TRUE"));
    } else {
        add_config_extension(cert, ctx, NID_basic_constraints, "critical,CA:FALSE");
    }
    std::vector<std::string> usages;
    for (const auto& usage : profile.key_usage) {
        // keyEncipherment only means something for keys that can encrypt (RSA key transport).
        if (usage != "keyEncipherment" || subject_can_encrypt) {
            usages.push_back(usage);
        }
    }
    if (!usages.empty()) {
        add_config_extension(cert, ctx, NID_key_usage, "critical," + join(usages));
    }
    if (!profile.extended_key_usage.empty()) {
        add_config_extension(cert, ctx, NID_ext_key_usage, join(profile.extended_key_usage));
    }
    add_config_extension(cert, ctx, NID_authority_key_identifier, "keyid:always");
    if (urls != nullptr) {
        if (!urls->crl_distribution_points.empty()) {
            add_config_extension(
                cert, ctx, NID_crl_distribution_points, join(urls->crl_distribution_points, "URI:"));
        }
        std::vector<std::string> access;
        for (const auto& url : urls->ca_issuers_urls) {
            access.push_back("caIssuers;URI:" + url);
        }
        for (const auto& url : urls->ocsp_urls) {
            access.push_back("OCSP;URI:" + url);
        }
        if (!access.empty()) {
            add_config_extension(cert, ctx, NID_info_access, join(access));
        }
    }
}

}  // namespace

pki::X509Ptr build_extension_template(const Profile& profile,
                                      bool subject_can_encrypt,
                                      const ProfileSet* urls,
                                      const X509* issuer) {
    pki::X509Ptr holder(X509_new());
    if (!holder) {
        pki::throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    X509V3_CTX ctx;
    // X509V3_set_ctx only reads the issuer but takes a non-const X509*.
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast)
    X509V3_set_ctx(&ctx, const_cast<X509*>(issuer), holder.get(), nullptr, nullptr, 0);
    add_profile_extensions(holder.get(), &ctx, profile, subject_can_encrypt, urls);
    return holder;
}

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
                             issuer != nullptr ? X509_get_subject_name(issuer) : content.subject) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot build certificate");
    }
    if (content.subject_spki != nullptr) {
        copy_public_key(cert.get(), content.subject_spki);
    } else if (X509_set_pubkey(cert.get(), content.subject_key) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot set the certificate's public key");
    }
    set_time(X509_getm_notBefore(cert.get()), content.not_before);
    set_time(X509_getm_notAfter(cert.get()), content.not_after);

    X509V3_CTX ctx;
    // X509V3_set_ctx only reads the issuer but takes a non-const X509*.
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast)
    X509* const ctx_issuer = issuer != nullptr ? const_cast<X509*>(issuer) : cert.get();
    X509V3_set_ctx(&ctx, ctx_issuer, cert.get(), nullptr, nullptr, 0);
    // RFC 5280 4.2.1.2: "this extension MUST appear in all conforming CA certificates"; we add it to all.
    // First: a self-signed certificate's authorityKeyIdentifier is read from it.
    add_subject_key_identifier(cert.get());
    if (content.extension_template != nullptr) {
        const int count = X509_get_ext_count(content.extension_template);
        for (int i = 0; i < count; ++i) {
            if (X509_add_ext(cert.get(), X509_get_ext(content.extension_template, i), -1) != 1) {
                pki::throw_openssl_error(ErrorCode::internal, "cannot copy a profile extension");
            }
        }
    } else {
        add_profile_extensions(cert.get(),
                               &ctx,
                               *content.profile,
                               can_encrypt(content.subject_key),
                               issuer != nullptr ? content.urls : nullptr);
    }
    if (!content.subject_alt_names.empty()) {
        const pki::GeneralNamesPtr names = pki::to_general_names(content.subject_alt_names);
        if (X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
            pki::throw_openssl_error(ErrorCode::internal, "cannot add subjectAltName");
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
