#include "formats/pkcs12_keystore.hpp"

#include "pki/openssl_handles.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

namespace certfleet::formats {
namespace {

using core::Error;
using core::ErrorCode;

// PKCS#12 files from old Java and `openssl pkcs12 -legacy` use 3DES and RC2, which OpenSSL 3 keeps
// in its "legacy" provider. Load it beside the default provider, once, for the life of the process.
// The handle is kept (not dropped) so that it stays reachable: LeakSanitizer reported it otherwise.
void load_legacy_algorithms() {
    // NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): OpenSSL hands out non-const handles
    static OSSL_PROVIDER* const legacy = [] {
        OSSL_PROVIDER* provider = OSSL_PROVIDER_try_load(nullptr, "legacy", 1);
        ERR_clear_error();
        return provider;
    }();
    static_cast<void>(legacy);
}

pki::Pkcs12Ptr parse_pkcs12(std::string_view bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    pki::Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(bytes.size())));
    ERR_clear_error();
    return p12;
}

}  // namespace

bool looks_like_pkcs12(std::string_view bytes) {
    return static_cast<bool>(parse_pkcs12(bytes));
}

Pkcs12Contents read_pkcs12(std::string_view bytes, std::string_view source, const core::Secret& password) {
    const pki::Pkcs12Ptr p12 = parse_pkcs12(bytes);
    if (!p12) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: not a PKCS#12 file (or truncated)", source));
    }
    load_legacy_algorithms();
    // No std::string copy: its buffer would be freed unwiped. Secret holds a std::string: NUL-terminated.
    const char* pass = password.reveal().data();
    if (PKCS12_mac_present(p12.get()) == 1 &&
        PKCS12_verify_mac(p12.get(), pass, static_cast<int>(password.reveal().size())) != 1) {
        ERR_clear_error();
        throw Error(ErrorCode::unauthenticated,
                    fmt::format("{}: wrong PKCS#12 password (the integrity MAC does not verify)", source));
    }
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
    STACK_OF(X509)* ca = nullptr;
    if (PKCS12_parse(p12.get(), pass, &key, &cert, &ca) != 1) {
        pki::throw_openssl_error(ErrorCode::invalid_input,
                                 fmt::format("{}: cannot open the PKCS#12 contents", source));
    }
    pki::EvpPkeyPtr owned_key(key);
    pki::X509Ptr owned_cert(cert);
    const pki::X509StackPtr owned_ca(ca);
    Pkcs12Contents out;
    if (owned_cert) {
        int len = 0;
        if (const unsigned char* alias = X509_alias_get0(owned_cert.get(), &len)) {
            out.friendly_name.assign(reinterpret_cast<const char*>(alias), static_cast<std::size_t>(len));
        }
        out.certificate = pki::Certificate::from_x509(std::move(owned_cert));
    }
    if (owned_key) {
        out.key = pki::PrivateKey(std::move(owned_key));
    }
    for (int i = 0; owned_ca && i < sk_X509_num(owned_ca.get()); ++i) {
        X509* c = sk_X509_value(owned_ca.get(), i);
        if (X509_up_ref(c) != 1) {
            pki::throw_openssl_error(ErrorCode::internal, "cannot share certificate");
        }
        out.chain.push_back(pki::Certificate::from_x509(pki::X509Ptr(c)));
    }
    return out;
}

std::string write_pkcs12(const CertifiedKey& bundle,
                         const core::Secret& password,
                         const Pkcs12WriteOptions& options) {
    if (!bundle.key) {
        throw Error(ErrorCode::invalid_input, "a PKCS#12 keystore needs the private key (--key)");
    }
    const pki::X509StackPtr chain(sk_X509_new_null());
    if (!chain) {
        pki::throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    for (const pki::Certificate& c : bundle.chain) {
        if (sk_X509_push(chain.get(), c.x509()) <= 0 || X509_up_ref(c.x509()) != 1) {
            pki::throw_openssl_error(ErrorCode::internal, "cannot build the PKCS#12 chain");
        }
    }
    const bool legacy = options.protection == Pkcs12Protection::legacy;
    // PBES2 is chosen by naming a cipher; its PBKDF2 PRF is HMAC-SHA-256 in OpenSSL 3.
    const int nid = legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC : NID_aes_256_cbc;
    constexpr int iterations = 10000;
    const char* pass = password.reveal().data();  // Secret holds a std::string: NUL-terminated
    const std::string& name = options.friendly_name;
    const pki::Pkcs12Ptr p12(PKCS12_create_ex(pass,
                                              name.empty() ? nullptr : name.c_str(),
                                              bundle.key->get(),
                                              bundle.certificate.x509(),
                                              chain.get(),
                                              nid,
                                              nid,
                                              iterations,
                                              -1,  // the MAC is set below, with an explicit digest
                                              0,
                                              nullptr,
                                              nullptr));
    if (!p12 || PKCS12_set_mac(p12.get(),
                               pass,
                               static_cast<int>(password.reveal().size()),
                               nullptr,
                               0,
                               iterations,
                               legacy ? EVP_sha1() : EVP_sha256()) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot build the PKCS#12 file");
    }
    unsigned char* der = nullptr;
    const int len = i2d_PKCS12(p12.get(), &der);
    const pki::OpensslBytesPtr owned(der);
    if (len <= 0) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot encode the PKCS#12 file");
    }
    return {reinterpret_cast<const char*>(der), static_cast<std::size_t>(len)};
}

}  // namespace certfleet::formats
