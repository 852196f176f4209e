#include "pki/private_key.hpp"

#include "pki/pem_reader.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

struct PassphraseRequest {
    const core::Secret* passphrase = nullptr;
    bool asked = false;
};

// OpenSSL's pem_password_cb: no exception may cross it.
int passphrase_callback(char* buf, int size, int /*rwflag*/, void* userdata) noexcept {
    auto* request = static_cast<PassphraseRequest*>(userdata);
    request->asked = true;
    if (request->passphrase == nullptr || size <= 0) {
        return -1;
    }
    const std::string_view secret = request->passphrase->reveal();
    const auto n = std::min<std::size_t>(secret.size(), static_cast<std::size_t>(size));
    std::memcpy(buf, secret.data(), n);
    return static_cast<int>(n);
}

[[noreturn]] void throw_unreadable(std::string_view source, const PassphraseRequest& request) {
    if (request.asked && request.passphrase == nullptr) {
        ERR_clear_error();
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{}: the private key is encrypted; give its passphrase (--passphrase-file)", source));
    }
    if (request.asked) {
        ERR_clear_error();
        throw Error(ErrorCode::unauthenticated,
                    fmt::format("{}: wrong passphrase for the private key", source));
    }
    throw_openssl_error(ErrorCode::invalid_input, fmt::format("{}: not a readable private key", source));
}

}  // namespace

KeySpec KeySpec::parse(std::string_view text, std::string_view field) {
    std::string lower(text);
    std::transform(
        lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    KeySpec spec;
    if (lower == "rsa:2048" || lower == "rsa:3072" || lower == "rsa:4096") {
        spec.algorithm = Algorithm::rsa;
        spec.rsa_bits = std::stoi(lower.substr(4));
    } else if (lower == "ec:p256" || lower == "ec:p-256" || lower == "ec:prime256v1") {
        spec.curve = "P-256";
    } else if (lower == "ec:p384" || lower == "ec:p-384" || lower == "ec:secp384r1") {
        spec.curve = "P-384";
    } else if (lower == "ed25519") {
        spec.algorithm = Algorithm::ed25519;
    } else {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{}: unknown key type \"{}\" (use rsa:2048, rsa:3072, rsa:4096, ec:p256, ec:p384 "
                        "or ed25519)",
                        field,
                        text));
    }
    return spec;
}

std::string KeySpec::to_string() const {
    switch (algorithm) {
        case Algorithm::rsa:
            return fmt::format("rsa:{}", rsa_bits);
        case Algorithm::ec:
            return curve == "P-384" ? "ec:p384" : "ec:p256";
        case Algorithm::ed25519:
            return "ed25519";
    }
    return "ec:p256";
}

PrivateKey::PrivateKey(EvpPkeyPtr key) : m_key(std::move(key)) {
    if (!m_key) {
        throw Error(ErrorCode::internal, "null private key");
    }
}

PrivateKey PrivateKey::generate(const KeySpec& spec) {
    EVP_PKEY* raw = nullptr;
    switch (spec.algorithm) {
        case KeySpec::Algorithm::rsa:
            raw = EVP_RSA_gen(static_cast<unsigned int>(spec.rsa_bits));
            break;
        case KeySpec::Algorithm::ec:
            raw = EVP_EC_gen(spec.curve.c_str());
            break;
        case KeySpec::Algorithm::ed25519:
            raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
            break;
    }
    EvpPkeyPtr key(raw);
    if (!key) {
        throw_openssl_error(ErrorCode::internal, fmt::format("cannot generate a {} key", spec.to_string()));
    }
    return PrivateKey(std::move(key));
}

PrivateKey PrivateKey::from_pem(std::string_view pem,
                                std::string_view source,
                                const core::Secret* passphrase) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) {
        throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    PassphraseRequest request{passphrase};
    EvpPkeyPtr key(
        PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, passphrase_callback, &request, nullptr, nullptr));
    if (!key) {
        throw_unreadable(source, request);
    }
    return PrivateKey(std::move(key));
}

PrivateKey PrivateKey::from_der(const Bytes& der, std::string_view source, const core::Secret* passphrase) {
    // Encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo) first: its shape is unambiguous.
    const unsigned char* p = der.data();
    const X509SigPtr encrypted(d2i_X509_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (encrypted && p == der.data() + der.size()) {
        if (passphrase == nullptr) {
            throw_unreadable(source, PassphraseRequest{nullptr, true});
        }
        const Pkcs8PrivKeyInfoPtr info(PKCS8_decrypt(
            encrypted.get(), passphrase->reveal().data(), static_cast<int>(passphrase->reveal().size())));
        if (!info) {
            throw_unreadable(source, PassphraseRequest{passphrase, true});
        }
        EvpPkeyPtr key(EVP_PKCS82PKEY(info.get()));
        if (!key) {
            throw_openssl_error(ErrorCode::invalid_input, fmt::format("{}: unsupported private key", source));
        }
        return PrivateKey(std::move(key));
    }
    ERR_clear_error();
    p = der.data();
    EvpPkeyPtr key(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
    if (!key) {
        throw_openssl_error(ErrorCode::invalid_input, fmt::format("{}: not a readable private key", source));
    }
    return PrivateKey(std::move(key));
}

PrivateKey PrivateKey::clone() const {
    if (EVP_PKEY_up_ref(m_key.get()) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot share the private key");
    }
    return PrivateKey(EvpPkeyPtr(m_key.get()));
}

std::string PrivateKey::to_pkcs8_pem(const KeyEncryption& encryption) const {
    if (encryption.passphrase == nullptr) {
        return write_pem("PRIVATE KEY", to_pkcs8_der());
    }
    const Pkcs8PrivKeyInfoPtr info(EVP_PKEY2PKCS8(m_key.get()));
    if (!info) {
        throw_openssl_error(ErrorCode::internal, "cannot encode the private key");
    }
    const std::string_view pass = encryption.passphrase->reveal();
    // pbe_nid -1 selects PBES2; with a cipher it uses PBKDF2, whose PRF is HMAC-SHA256 in OpenSSL 3.
    const X509SigPtr sealed(PKCS8_encrypt_ex(-1,
                                             EVP_aes_256_cbc(),
                                             pass.data(),
                                             static_cast<int>(pass.size()),
                                             nullptr,
                                             16,
                                             encryption.pbkdf2_iterations,
                                             info.get(),
                                             nullptr,
                                             nullptr));
    if (!sealed) {
        throw_openssl_error(ErrorCode::internal, "cannot encrypt the private key");
    }
    unsigned char* der = nullptr;
    const int len = i2d_X509_SIG(sealed.get(), &der);
    if (len <= 0) {
        throw_openssl_error(ErrorCode::internal, "cannot encode the encrypted private key");
    }
    const OpensslBytesPtr owned(der);
    Bytes bytes(der, der + len);
    std::string pem = write_pem("ENCRYPTED PRIVATE KEY", bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return pem;
}

Bytes PrivateKey::to_pkcs8_der() const {
    const Pkcs8PrivKeyInfoPtr info(EVP_PKEY2PKCS8(m_key.get()));
    if (!info) {
        throw_openssl_error(ErrorCode::internal, "cannot encode the private key");
    }
    unsigned char* der = nullptr;
    const int len = i2d_PKCS8_PRIV_KEY_INFO(info.get(), &der);
    if (len <= 0) {
        throw_openssl_error(ErrorCode::internal, "cannot encode the private key");
    }
    const OpensslBytesPtr owned(der);
    Bytes out(der, der + len);
    OPENSSL_cleanse(der, static_cast<std::size_t>(len));
    return out;
}

}  // namespace certfleet::pki
