#pragma once
// This file is the only one that names OpenSSL *_free functions: every handle is owned on the line
// that creates it.

#include "core/error.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

namespace certfleet::pki {

template <auto FreeFn>
struct OpensslDeleter {
    template <class T>
    void operator()(T* p) const noexcept {
        FreeFn(p);
    }
};
template <class T, auto FreeFn>
using OpensslPtr = std::unique_ptr<T, OpensslDeleter<FreeFn>>;

using BioPtr = OpensslPtr<BIO, &BIO_free_all>;
using X509Ptr = OpensslPtr<X509, &X509_free>;
using X509ReqPtr = OpensslPtr<X509_REQ, &X509_REQ_free>;
using X509CrlPtr = OpensslPtr<X509_CRL, &X509_CRL_free>;
using X509StorePtr = OpensslPtr<X509_STORE, &X509_STORE_free>;
using X509StoreCtxPtr = OpensslPtr<X509_STORE_CTX, &X509_STORE_CTX_free>;
using X509NamePtr = OpensslPtr<X509_NAME, &X509_NAME_free>;
using X509ExtensionPtr = OpensslPtr<X509_EXTENSION, &X509_EXTENSION_free>;
using X509PubkeyPtr = OpensslPtr<X509_PUBKEY, &X509_PUBKEY_free>;
using X509VerifyParamPtr = OpensslPtr<X509_VERIFY_PARAM, &X509_VERIFY_PARAM_free>;
using X509RevokedPtr = OpensslPtr<X509_REVOKED, &X509_REVOKED_free>;
using EvpPkeyPtr = OpensslPtr<EVP_PKEY, &EVP_PKEY_free>;
using EvpPkeyCtxPtr = OpensslPtr<EVP_PKEY_CTX, &EVP_PKEY_CTX_free>;
using EvpMdPtr = OpensslPtr<EVP_MD, &EVP_MD_free>;
using EvpMdCtxPtr = OpensslPtr<EVP_MD_CTX, &EVP_MD_CTX_free>;
using EvpCipherPtr = OpensslPtr<EVP_CIPHER, &EVP_CIPHER_free>;
using EvpCipherCtxPtr = OpensslPtr<EVP_CIPHER_CTX, &EVP_CIPHER_CTX_free>;
using EvpEncodeCtxPtr = OpensslPtr<EVP_ENCODE_CTX, &EVP_ENCODE_CTX_free>;
using Asn1IntegerPtr = OpensslPtr<ASN1_INTEGER, &ASN1_INTEGER_free>;
using Asn1EnumeratedPtr = OpensslPtr<ASN1_ENUMERATED, &ASN1_ENUMERATED_free>;
using Asn1TimePtr = OpensslPtr<ASN1_TIME, &ASN1_TIME_free>;
using Asn1ObjectPtr = OpensslPtr<ASN1_OBJECT, &ASN1_OBJECT_free>;
using Asn1OctetStringPtr = OpensslPtr<ASN1_OCTET_STRING, &ASN1_OCTET_STRING_free>;
using BignumPtr = OpensslPtr<BIGNUM, &BN_clear_free>;
using GeneralNamePtr = OpensslPtr<GENERAL_NAME, &GENERAL_NAME_free>;
using Asn1StringPtr = OpensslPtr<ASN1_STRING, &ASN1_STRING_free>;
using GeneralNamesPtr = OpensslPtr<GENERAL_NAMES, &GENERAL_NAMES_free>;
using BasicConstraintsPtr = OpensslPtr<BASIC_CONSTRAINTS, &BASIC_CONSTRAINTS_free>;
using ExtendedKeyUsagePtr = OpensslPtr<EXTENDED_KEY_USAGE, &EXTENDED_KEY_USAGE_free>;
using AuthorityKeyIdPtr = OpensslPtr<AUTHORITY_KEYID, &AUTHORITY_KEYID_free>;
using AuthorityInfoAccessPtr = OpensslPtr<AUTHORITY_INFO_ACCESS, &AUTHORITY_INFO_ACCESS_free>;
using NameConstraintsPtr = OpensslPtr<NAME_CONSTRAINTS, &NAME_CONSTRAINTS_free>;
using Asn1BitStringPtr = OpensslPtr<ASN1_BIT_STRING, &ASN1_BIT_STRING_free>;
using Pkcs12Ptr = OpensslPtr<PKCS12, &PKCS12_free>;
using Pkcs8PrivKeyInfoPtr = OpensslPtr<PKCS8_PRIV_KEY_INFO, &PKCS8_PRIV_KEY_INFO_free>;
using X509SigPtr = OpensslPtr<X509_SIG, &X509_SIG_free>;
using OsslLibCtxPtr = OpensslPtr<OSSL_LIB_CTX, &OSSL_LIB_CTX_free>;
using OsslProviderPtr = OpensslPtr<OSSL_PROVIDER, &OSSL_PROVIDER_unload>;
using SslCtxPtr = OpensslPtr<SSL_CTX, &SSL_CTX_free>;
using SslPtr = OpensslPtr<SSL, &SSL_free>;

// OPENSSL_free is a macro; these give it an address.
inline void free_openssl_string(char* p) noexcept {
    OPENSSL_free(p);
}
inline void free_openssl_bytes(unsigned char* p) noexcept {
    OPENSSL_free(p);
}
/// Frees a value parsed with ASN1_item_d2i_ex before it is handed to its typed owner.
inline void free_asn1_item(ASN1_VALUE* value, const ASN1_ITEM* item) noexcept {
    ASN1_item_free(value, item);
}
using OpensslStringPtr = std::unique_ptr<char, OpensslDeleter<&free_openssl_string>>;
using OpensslBytesPtr = std::unique_ptr<unsigned char, OpensslDeleter<&free_openssl_bytes>>;

// sk_*_pop_free are macros, so the stacks get deleters of their own.
struct X509StackDeleter {
    void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_pop_free(s, X509_free); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackDeleter>;

struct X509CrlStackDeleter {
    void operator()(STACK_OF(X509_CRL) * s) const noexcept { sk_X509_CRL_pop_free(s, X509_CRL_free); }
};
using X509CrlStackPtr = std::unique_ptr<STACK_OF(X509_CRL), X509CrlStackDeleter>;

struct X509ExtensionStackDeleter {
    void operator()(STACK_OF(X509_EXTENSION) * s) const noexcept {
        sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
    }
};
using X509ExtensionStackPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), X509ExtensionStackDeleter>;

struct Pkcs12SafeBagStackDeleter {
    void operator()(STACK_OF(PKCS12_SAFEBAG) * s) const noexcept {
        sk_PKCS12_SAFEBAG_pop_free(s, PKCS12_SAFEBAG_free);
    }
};
using Pkcs12SafeBagStackPtr = std::unique_ptr<STACK_OF(PKCS12_SAFEBAG), Pkcs12SafeBagStackDeleter>;

struct Pkcs7StackDeleter {
    void operator()(STACK_OF(PKCS7) * s) const noexcept { sk_PKCS7_pop_free(s, PKCS7_free); }
};
using Pkcs7StackPtr = std::unique_ptr<STACK_OF(PKCS7), Pkcs7StackDeleter>;

/// Returns and clears OpenSSL's thread-local error queue as one line ("" when empty).
std::string drain_openssl_errors();

/// Drains OpenSSL's error queue into `message`, then throws Error(code).
[[noreturn]] void throw_openssl_error(core::ErrorCode code, const std::string& message);

}  // namespace certfleet::pki
