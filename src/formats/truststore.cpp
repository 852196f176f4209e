#include "formats/truststore.hpp"

#include "core/error.hpp"
#include "formats/jks_keystore.hpp"
#include "pki/openssl_handles.hpp"

#include <fmt/format.h>
#include <openssl/objects.h>

#include <cctype>

namespace certfleet::formats {

TruststoreType parse_truststore_type(std::string_view text, std::string_view field) {
    std::string lower(text);
    for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (lower == "jks") {
        return TruststoreType::jks;
    }
    if (lower == "pkcs12" || lower == "p12") {
        return TruststoreType::pkcs12;
    }
    throw core::Error(core::ErrorCode::invalid_input,
                      fmt::format("{}: unknown truststore type \"{}\" (use jks or pkcs12)", field, text));
}

namespace {

using core::Error;
using core::ErrorCode;

std::string alias_for(const TruststoreOptions& options, std::size_t index, std::size_t count) {
    return count == 1 ? options.alias : fmt::format("{}-{}", options.alias, index + 1);
}

int oracle_trusted_key_usage_nid() {
    static const int nid = [] {
        const int known = OBJ_txt2nid("2.16.840.1.113894.746875.1.1");
        return known != NID_undef ? known
                                  : OBJ_create("2.16.840.1.113894.746875.1.1",
                                               "oracle-jdk-trustedkeyusage",
                                               "Trusted key usage (Oracle)");
    }();
    return nid;
}

std::string make_pkcs12_truststore(const std::vector<const pki::Certificate*>& certificates,
                                   const core::Secret& password,
                                   const TruststoreOptions& options) {
    const char* pass = password.reveal().data();  // Secret holds a std::string: NUL-terminated
    const int pass_size = static_cast<int>(password.reveal().size());
    const pki::Asn1ObjectPtr any_usage(OBJ_txt2obj("2.5.29.37.0", 1));
    pki::Pkcs12SafeBagStackPtr bags;
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        STACK_OF(PKCS12_SAFEBAG)* raw = bags.release();
        PKCS12_SAFEBAG* bag = PKCS12_add_cert(&raw, certificates[i]->x509());
        bags.reset(raw);
        const std::string alias = alias_for(options, i, certificates.size());
        if (bag == nullptr || PKCS12_add_friendlyname_asc(bag, alias.c_str(), -1) != 1 ||
            PKCS12_add1_attr_by_NID(bag,
                                    oracle_trusted_key_usage_nid(),
                                    V_ASN1_OBJECT,
                                    reinterpret_cast<const unsigned char*>(any_usage.get()),
                                    -1) != 1) {
            pki::throw_openssl_error(ErrorCode::internal, "cannot build the PKCS#12 truststore");
        }
    }
    pki::Pkcs7StackPtr safes;
    STACK_OF(PKCS7)* raw_safes = nullptr;
    constexpr int iterations = 10000;
    if (PKCS12_add_safe(&raw_safes, bags.get(), NID_aes_256_cbc, iterations, pass) != 1) {
        safes.reset(raw_safes);
        pki::throw_openssl_error(ErrorCode::internal, "cannot build the PKCS#12 truststore");
    }
    safes.reset(raw_safes);
    const pki::Pkcs12Ptr p12(PKCS12_add_safes(safes.get(), 0));
    if (!p12 || PKCS12_set_mac(p12.get(), pass, pass_size, nullptr, 0, iterations, EVP_sha256()) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot build the PKCS#12 truststore");
    }
    unsigned char* der = nullptr;
    const int len = i2d_PKCS12(p12.get(), &der);
    const pki::OpensslBytesPtr owned(der);
    if (len <= 0) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot encode the PKCS#12 truststore");
    }
    return {reinterpret_cast<const char*>(der), static_cast<std::size_t>(len)};
}

}  // namespace

std::string make_truststore(const std::vector<const pki::Certificate*>& certificates,
                            const core::Secret& password,
                            const TruststoreOptions& options) {
    if (certificates.empty()) {
        throw Error(ErrorCode::invalid_input, "a truststore needs at least one certificate");
    }
    if (options.type == TruststoreType::pkcs12) {
        return make_pkcs12_truststore(certificates, password, options);
    }
    JksKeystore store;
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        store.add(
            JksTrustedCertificateEntry{
                alias_for(options, i, certificates.size()), options.created, certificates[i]->clone()},
            AliasClash::refuse);
    }
    return store.to_bytes(password);
}

}  // namespace certfleet::formats
