#include "pki/public_key.hpp"

#include "pki/fingerprint.hpp"
#include "pki/structure_only_context.hpp"

#include <fmt/format.h>
#include <openssl/ec.h>
#include <openssl/err.h>

#include <array>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

// Reads the first INTEGER of a DER SEQUENCE (the RSA modulus of an RSAPublicKey, RFC 8017 A.1.1)
// and returns its size in bits, or 0 if the bytes are not that shape.
int leading_integer_bits(const unsigned char* data, long size) {
    const unsigned char* p = data;
    long len = 0;
    int tag = 0;
    int cls = 0;
    if ((ASN1_get_object(&p, &len, &tag, &cls, size) & 0x80) != 0 || tag != V_ASN1_SEQUENCE) {
        ERR_clear_error();
        return 0;
    }
    const unsigned char* seq_end = p + len;
    if ((ASN1_get_object(&p, &len, &tag, &cls, seq_end - p) & 0x80) != 0 || tag != V_ASN1_INTEGER ||
        len <= 0) {
        ERR_clear_error();
        return 0;
    }
    while (len > 0 && *p == 0) {  // DER sign padding
        ++p;
        --len;
    }
    if (len == 0) {
        return 0;
    }
    int top = 0;
    for (unsigned int v = *p; v != 0; v >>= 1U) {
        ++top;
    }
    return static_cast<int>((len - 1) * 8 + top);
}

std::string nist_or_short_name(int nid) {
    if (const char* nist = EC_curve_nid2nist(nid)) {
        return nist;
    }
    return OBJ_nid2sn(nid);
}

}  // namespace

std::string to_string(const KeyDescription& key) {
    if (!key.curve.empty()) {
        return fmt::format("{} {}", key.algorithm, key.curve);
    }
    if (key.algorithm == "Ed25519" || key.algorithm == "Ed448" || key.bits == 0) {
        return key.algorithm;
    }
    return fmt::format("{} {}", key.algorithm, key.bits);
}

KeyDescription describe_spki(const X509_PUBKEY* spki) {
    ASN1_OBJECT* algorithm = nullptr;
    const unsigned char* key_bytes = nullptr;
    int key_len = 0;
    X509_ALGOR* params = nullptr;
    if (X509_PUBKEY_get0_param(&algorithm, &key_bytes, &key_len, &params, spki) != 1) {
        throw_openssl_error(ErrorCode::invalid_input, "unreadable SubjectPublicKeyInfo");
    }
    KeyDescription out;
    const int nid = OBJ_obj2nid(algorithm);
    switch (nid) {
        case NID_rsaEncryption:
        case NID_rsassaPss:
            out.algorithm = nid == NID_rsaEncryption ? "RSA" : "RSA-PSS";
            out.bits = leading_integer_bits(key_bytes, key_len);
            break;
        case NID_X9_62_id_ecPublicKey: {
            out.algorithm = "EC";
            int ptype = 0;
            const void* pval = nullptr;
            X509_ALGOR_get0(nullptr, &ptype, &pval, params);
            if (ptype == V_ASN1_OBJECT) {
                const int curve = OBJ_obj2nid(static_cast<const ASN1_OBJECT*>(pval));
                out.curve = nist_or_short_name(curve);
                // An uncompressed point is 04 || X || Y.
                out.bits = key_len > 1 ? ((key_len - 1) / 2) * 8 : 0;
            } else {
                out.curve = "explicit parameters";
            }
            break;
        }
        case NID_ED25519:
            out.algorithm = "Ed25519";
            out.bits = 256;
            break;
        case NID_ED448:
            out.algorithm = "Ed448";
            out.bits = 456;
            break;
        case NID_X25519:
            out.algorithm = "X25519";
            out.bits = 256;
            break;
        case NID_dsa:
            out.algorithm = "DSA";
            break;
        default: {
            std::array<char, 128> buf{};
            OBJ_obj2txt(buf.data(), static_cast<int>(buf.size()), algorithm, 0);
            out.algorithm = buf.data();
            break;
        }
    }
    return out;
}

PublicKey PublicKey::from_spki_der(Bytes spki, std::string_view source) {
    const X509PubkeyPtr parsed(reinterpret_cast<X509_PUBKEY*>(
        parse_structure(ASN1_ITEM_rptr(X509_PUBKEY), spki.data(), spki.size())));
    if (!parsed) {
        throw_openssl_error(ErrorCode::invalid_input,
                            fmt::format("{}: not a DER SubjectPublicKeyInfo", source));
    }
    return PublicKey(std::move(spki));
}

PublicKey PublicKey::from_evp(const EVP_PKEY* key) {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key, &der);
    if (len <= 0) {
        throw_openssl_error(ErrorCode::invalid_input, "cannot encode the public key");
    }
    const OpensslBytesPtr owned(der);
    PublicKey out(Bytes(der, der + len));
    return out;
}

PublicKey& PublicKey::operator=(const PublicKey& other) {
    if (this != &other) {
        m_spki = other.m_spki;
        m_decoded.reset();
    }
    return *this;
}

KeyDescription PublicKey::description() const {
    const X509PubkeyPtr parsed(reinterpret_cast<X509_PUBKEY*>(
        parse_structure(ASN1_ITEM_rptr(X509_PUBKEY), m_spki.data(), m_spki.size())));
    if (!parsed) {
        throw_openssl_error(ErrorCode::invalid_input, "unreadable SubjectPublicKeyInfo");
    }
    return describe_spki(parsed.get());
}

std::string PublicKey::fingerprint_sha256() const {
    return fingerprint(DigestAlgorithm::sha256, m_spki);
}

EVP_PKEY* PublicKey::evp() const {
    if (!m_decoded) {
        const unsigned char* p = m_spki.data();
        m_decoded.reset(d2i_PUBKEY(nullptr, &p, static_cast<long>(m_spki.size())));
        if (!m_decoded) {
            throw_openssl_error(ErrorCode::invalid_input, "cannot decode the public key");
        }
    }
    return m_decoded.get();
}

bool PublicKey::matches(const PublicKey& other) const {
    if (m_spki == other.m_spki) {
        return true;
    }
    try {
        return EVP_PKEY_eq(evp(), other.evp()) == 1;
    } catch (const Error&) {
        return false;
    }
}

}  // namespace certfleet::pki
