#include "formats/jks_key_protector.hpp"

#include "formats/java_data_stream.hpp"
#include "pki/openssl_handles.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cstring>

namespace certfleet::formats {
namespace {

using core::Error;
using core::ErrorCode;
using Digest = std::array<unsigned char, SHA_DIGEST_LENGTH>;
constexpr std::size_t salt_size = SHA_DIGEST_LENGTH;

// Wipes a byte buffer when it goes away.
class WipedBytes {
public:
    explicit WipedBytes(pki::Bytes bytes) : m_bytes(std::move(bytes)) {}
    WipedBytes(const WipedBytes&) = delete;
    WipedBytes& operator=(const WipedBytes&) = delete;
    WipedBytes(WipedBytes&&) = delete;
    WipedBytes& operator=(WipedBytes&&) = delete;
    ~WipedBytes() { OPENSSL_cleanse(m_bytes.data(), m_bytes.size()); }
    [[nodiscard]] const pki::Bytes& get() const noexcept { return m_bytes; }

private:
    pki::Bytes m_bytes;
};

Digest sha1_of(const pki::Bytes& first, const unsigned char* second, std::size_t second_size) {
    const pki::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    Digest out{};
    unsigned int len = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha1(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), first.data(), first.size()) != 1 ||
        EVP_DigestUpdate(ctx.get(), second, second_size) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "SHA-1 failed");
    }
    return out;
}

// XORs `data` in place with the keystream derived from the password and salt.
void apply_keystream(unsigned char* data,
                     std::size_t size,
                     const pki::Bytes& password,
                     const unsigned char* salt) {
    Digest block{};
    std::memcpy(block.data(), salt, salt_size);
    for (std::size_t offset = 0; offset < size; offset += block.size()) {
        block = sha1_of(password, block.data(), block.size());
        const std::size_t n = std::min(block.size(), size - offset);
        for (std::size_t i = 0; i < n; ++i) {
            data[offset + i] ^= block[i];
        }
    }
    OPENSSL_cleanse(block.data(), block.size());
}

}  // namespace

pki::Bytes protect_jks_key(const pki::Bytes& pkcs8, const core::Secret& password) {
    const WipedBytes pass(to_utf16_big_endian(password.reveal()));
    pki::Bytes sealed(salt_size + pkcs8.size() + SHA_DIGEST_LENGTH);
    if (RAND_bytes(sealed.data(), static_cast<int>(salt_size)) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "no random salt for the JKS key");
    }
    std::memcpy(sealed.data() + salt_size, pkcs8.data(), pkcs8.size());
    apply_keystream(sealed.data() + salt_size, pkcs8.size(), pass.get(), sealed.data());
    const Digest check = sha1_of(pass.get(), pkcs8.data(), pkcs8.size());
    std::memcpy(sealed.data() + salt_size + pkcs8.size(), check.data(), check.size());

    const pki::X509SigPtr info(X509_SIG_new());
    pki::Asn1ObjectPtr oid(OBJ_txt2obj(std::string(jks_key_protector_oid).c_str(), 1));
    if (!info || !oid) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot build the JKS key structure");
    }
    X509_ALGOR* algorithm = nullptr;
    ASN1_OCTET_STRING* digest = nullptr;
    X509_SIG_getm(info.get(), &algorithm, &digest);
    // Java's AlgorithmId writes an explicit NULL for this OID's absent parameters; keytool does too.
    if (X509_ALGOR_set0(algorithm, oid.get(), V_ASN1_NULL, nullptr) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot build the JKS key structure");
    }
    static_cast<void>(oid.release());
    if (ASN1_OCTET_STRING_set(digest, sealed.data(), static_cast<int>(sealed.size())) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot build the JKS key structure");
    }
    unsigned char* der = nullptr;
    const int len = i2d_X509_SIG(info.get(), &der);
    const pki::OpensslBytesPtr owned(der);
    if (len <= 0) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot encode the JKS key structure");
    }
    return {der, der + len};
}

pki::Bytes recover_jks_key(const pki::Bytes& encrypted_der,
                           const core::Secret& password,
                           std::string_view source) {
    const unsigned char* p = encrypted_der.data();
    const pki::X509SigPtr info(d2i_X509_SIG(nullptr, &p, static_cast<long>(encrypted_der.size())));
    if (!info || p != encrypted_der.data() + encrypted_der.size()) {
        pki::throw_openssl_error(
            ErrorCode::invalid_input,
            fmt::format("{}: the protected key is not an EncryptedPrivateKeyInfo", source));
    }
    const X509_ALGOR* algorithm = nullptr;
    const ASN1_OCTET_STRING* digest = nullptr;
    X509_SIG_get0(info.get(), &algorithm, &digest);
    const ASN1_OBJECT* oid = nullptr;
    X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm);
    std::array<char, 80> oid_text{};
    OBJ_obj2txt(oid_text.data(), static_cast<int>(oid_text.size()), oid, 1);
    if (jks_key_protector_oid != oid_text.data()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: key protected with {}, not the JKS key protector ({})",
                                source,
                                oid_text.data(),
                                jks_key_protector_oid));
    }
    const unsigned char* sealed = ASN1_STRING_get0_data(digest);
    const auto sealed_size = static_cast<std::size_t>(ASN1_STRING_length(digest));
    if (sealed_size < salt_size + SHA_DIGEST_LENGTH + 1) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: the protected key is too short", source));
    }
    const WipedBytes pass(to_utf16_big_endian(password.reveal()));
    const std::size_t key_size = sealed_size - salt_size - SHA_DIGEST_LENGTH;
    pki::Bytes plain(sealed + salt_size, sealed + salt_size + key_size);
    apply_keystream(plain.data(), plain.size(), pass.get(), sealed);
    const Digest check = sha1_of(pass.get(), plain.data(), plain.size());
    if (CRYPTO_memcmp(check.data(), sealed + salt_size + key_size, check.size()) != 0) {
        OPENSSL_cleanse(plain.data(), plain.size());
        throw Error(ErrorCode::unauthenticated,
                    fmt::format("{}: wrong key password (the key's check digest does not match)", source));
    }
    return plain;
}

}  // namespace certfleet::formats
