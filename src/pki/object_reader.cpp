#include "pki/object_reader.hpp"

#include "pki/pem_reader.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;
// Only this file reads PKCS#7, so its owner is declared here, from openssl_handles.hpp's template.
using Pkcs7Ptr = OpensslPtr<PKCS7, &PKCS7_free>;

bool is_certificate_label(std::string_view label) {
    return label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE";
}

bool is_private_key_label(std::string_view label) {
    return label == "PRIVATE KEY" || label == "ENCRYPTED PRIVATE KEY" || label == "RSA PRIVATE KEY" ||
           label == "EC PRIVATE KEY" || label == "DSA PRIVATE KEY";
}

// "-----BEGIN TRUSTED CERTIFICATE-----" is a certificate followed by OpenSSL's X509_CERT_AUX trust
// settings; the certificate is the first DER element.
Bytes leading_element(const Bytes& der) {
    const unsigned char* p = der.data();
    long len = 0;
    int tag = 0;
    int cls = 0;
    const int rc = ASN1_get_object(&p, &len, &tag, &cls, static_cast<long>(der.size()));
    if ((rc & 0x80) != 0) {
        ERR_clear_error();
        return der;
    }
    const auto total = static_cast<std::size_t>(p - der.data()) + static_cast<std::size_t>(len);
    return total <= der.size() ? Bytes(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(total)) : der;
}

bool is_pkcs7_label(std::string_view label) {
    return label == "PKCS7" || label == "PKCS #7 SIGNED DATA" || label == "CERTIFICATE CHAIN";
}

// A PKCS#7 SignedData "certs-only" bundle (.p7b/.p7c, what many CAs return): its certificates, in the
// order stored. Returns std::nullopt if `der` is not PKCS#7 at all.
std::optional<std::vector<Certificate>> read_pkcs7(const Bytes& der, std::string_view where) {
    const unsigned char* p = der.data();
    const Pkcs7Ptr pkcs7(d2i_PKCS7(nullptr, &p, static_cast<long>(der.size())));
    if (!pkcs7) {
        ERR_clear_error();
        return std::nullopt;
    }
    if (OBJ_obj2nid(pkcs7->type) != NID_pkcs7_signed || pkcs7->d.sign == nullptr) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{}: a PKCS#7 structure that is not SignedData holds no certificates", where));
    }
    std::vector<Certificate> out;
    const STACK_OF(X509)* certs = pkcs7->d.sign->cert;  // borrowed from pkcs7
    for (int i = 0; certs != nullptr && i < sk_X509_num(certs); ++i) {
        X509* cert = sk_X509_value(certs, i);
        unsigned char* encoded = nullptr;
        const int length = i2d_X509(cert, &encoded);
        if (length <= 0) {
            throw_openssl_error(ErrorCode::invalid_input,
                                fmt::format("{}: certificate {} cannot be encoded", where, i + 1));
        }
        const OpensslStringPtr owned(reinterpret_cast<char*>(encoded));
        out.push_back(Certificate::from_der(Bytes(encoded, encoded + length),
                                            fmt::format("{}: PKCS#7 certificate {}", where, i + 1)));
    }
    if (out.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: PKCS#7 bundle holds no certificate", where));
    }
    return out;
}

// DER: only a SEQUENCE whose first element is the pkcs7-signedData OID is taken for PKCS#7, so a
// certificate or key is never mistaken for one.
std::optional<std::vector<Certificate>> read_der_pkcs7(const Bytes& der, std::string_view source) {
    static const std::array<unsigned char, 11> signed_data_oid{
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02};
    const unsigned char* p = der.data();
    long len = 0;
    int tag = 0;
    int cls = 0;
    if ((ASN1_get_object(&p, &len, &tag, &cls, static_cast<long>(der.size())) & 0x80) != 0 ||
        tag != V_ASN1_SEQUENCE) {
        ERR_clear_error();
        return std::nullopt;
    }
    const auto header = static_cast<std::size_t>(p - der.data());
    if (der.size() < header + signed_data_oid.size() ||
        !std::equal(signed_data_oid.begin(),
                    signed_data_oid.end(),
                    der.begin() + static_cast<std::ptrdiff_t>(header))) {
        return std::nullopt;
    }
    return read_pkcs7(der, source);
}

void append_pkcs7(std::vector<SourcedObject>& out,
                  std::vector<Certificate> certificates,
                  const std::string& where) {
    const std::size_t count = certificates.size();
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(
            {std::move(certificates[i]), fmt::format("{} certificate {} of {}", where, i + 1, count)});
    }
}

PkiObject read_pem_block(PemBlock& block, const std::string& where, const ObjectReadOptions& options) {
    if (is_certificate_label(block.label)) {
        Bytes der = block.label == "TRUSTED CERTIFICATE" ? leading_element(block.der) : std::move(block.der);
        return Certificate::from_der(std::move(der), where);
    }
    if (block.label == "CERTIFICATE REQUEST" || block.label == "NEW CERTIFICATE REQUEST") {
        return Csr::from_der(block.der, where);
    }
    if (block.label == "X509 CRL") {
        return Crl::from_der(block.der, where);
    }
    if (is_private_key_label(block.label)) {
        return PrivateKey::from_pem(block.text, where, options.passphrase);
    }
    if (block.label == "PUBLIC KEY") {
        return PublicKey::from_spki_der(std::move(block.der), where);
    }
    if (block.label == "RSA PUBLIC KEY") {
        // PKCS#1 RSAPublicKey (RFC 8017 A.1.1), not an SPKI.
        const unsigned char* p = block.der.data();
        const EvpPkeyPtr key(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(block.der.size())));
        if (!key) {
            throw_openssl_error(ErrorCode::invalid_input,
                                fmt::format("{}: not a valid RSA public key", where));
        }
        return PublicKey::from_evp(key.get());
    }
    throw Error(ErrorCode::invalid_input,
                fmt::format("{}: unsupported PEM block type \"{}\"", where, block.label));
}

PkiObject read_der(const Bytes& der, std::string_view source, const ObjectReadOptions& options) {
    // Try the structures in order of how often operators hand them to us.
    try {
        return Certificate::from_der(der, source);
    } catch (const Error&) {
    }
    const auto try_parse = [&](auto parse) -> std::optional<PkiObject> {
        try {
            return parse();
        } catch (const Error&) {
            ERR_clear_error();
            return std::nullopt;
        }
    };
    if (auto csr = try_parse([&] { return PkiObject(Csr::from_der(der, source)); })) {
        return std::move(*csr);
    }
    if (auto crl = try_parse([&] { return PkiObject(Crl::from_der(der, source)); })) {
        return std::move(*crl);
    }
    if (auto spki = try_parse([&] { return PkiObject(PublicKey::from_spki_der(der, source)); })) {
        return std::move(*spki);
    }
    try {
        return PrivateKey::from_der(der, source, options.passphrase);
    } catch (const Error& e) {
        const std::string what = e.what();
        if (what.find("passphrase") != std::string::npos) {
            throw;  // it is a key; the passphrase is missing or wrong
        }
    }
    ERR_clear_error();
    const std::string damage = describe_der_damage(der);
    throw Error(ErrorCode::invalid_input,
                damage.empty() ? fmt::format("{}: not a certificate, CSR, CRL or key in PEM or DER", source)
                               : fmt::format("{}: damaged DER: {}", source, damage));
}

}  // namespace

std::string_view kind_of(const PkiObject& object) {
    struct Visitor {
        std::string_view operator()(const Certificate& /*certificate*/) const { return "certificate"; }
        std::string_view operator()(const Csr& /*csr*/) const { return "csr"; }
        std::string_view operator()(const PrivateKey& /*key*/) const { return "private_key"; }
        std::string_view operator()(const PublicKey& /*key*/) const { return "public_key"; }
        std::string_view operator()(const Crl& /*crl*/) const { return "crl"; }
    };
    return std::visit(Visitor{}, object);
}

std::string describe_der_damage(const Bytes& der) {
    if (der.empty()) {
        return "empty";
    }
    const unsigned char* p = der.data();
    long len = 0;
    int tag = 0;
    int cls = 0;
    const int rc = ASN1_get_object(&p, &len, &tag, &cls, static_cast<long>(der.size()));
    ERR_clear_error();
    if ((rc & 0x80) != 0) {
        const auto available = static_cast<long>(der.size()) - (p - der.data());
        if (len > available && available >= 0) {
            return fmt::format("truncated: the outer header says {} bytes but {} follow", len, available);
        }
        return "the outer tag/length header is malformed";
    }
    if (tag != V_ASN1_SEQUENCE) {
        return "does not start with a SEQUENCE";
    }
    const auto total = static_cast<std::size_t>(p - der.data()) + static_cast<std::size_t>(len);
    if (total < der.size()) {
        return fmt::format("{} bytes of trailing data after the outer SEQUENCE", der.size() - total);
    }
    return {};
}

std::vector<SourcedObject> read_objects(std::string_view bytes,
                                        std::string_view source,
                                        const ObjectReadOptions& options) {
    std::vector<SourcedObject> out;
    if (contains_pem(bytes)) {
        for (PemBlock& block : read_pem_blocks(bytes, source)) {
            std::string where =
                fmt::format("{}: block {} ({}, line {})", source, block.index, block.label, block.line);
            if (is_pkcs7_label(block.label)) {
                auto certificates = read_pkcs7(block.der, where);
                if (!certificates) {
                    throw Error(ErrorCode::invalid_input,
                                fmt::format("{}: not a valid PKCS#7 structure", where));
                }
                append_pkcs7(out, std::move(*certificates), where);
                continue;
            }
            PkiObject object = read_pem_block(block, where, options);
            out.push_back({std::move(object), std::move(where)});
        }
        if (out.empty()) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: no PEM block found", source));
        }
        return out;
    }
    if (bytes.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: empty file", source));
    }
    const Bytes der(bytes.begin(), bytes.end());
    if (auto certificates = read_der_pkcs7(der, source)) {
        append_pkcs7(out, std::move(*certificates), std::string(source) + ": PKCS#7");
        return out;
    }
    out.push_back({read_der(der, source, options), std::string(source)});
    return out;
}

std::vector<Certificate> read_certificates(std::string_view bytes, std::string_view source) {
    std::vector<Certificate> out;
    if (contains_pem(bytes)) {
        for (PemBlock& block : read_pem_blocks(bytes, source)) {
            if (is_pkcs7_label(block.label)) {
                const std::string where =
                    fmt::format("{}: block {} (line {})", source, block.index, block.line);
                auto certificates = read_pkcs7(block.der, where);
                if (!certificates) {
                    throw Error(ErrorCode::invalid_input,
                                fmt::format("{}: not a valid PKCS#7 structure", where));
                }
                std::move(certificates->begin(), certificates->end(), std::back_inserter(out));
            } else if (is_certificate_label(block.label)) {
                Bytes der =
                    block.label == "TRUSTED CERTIFICATE" ? leading_element(block.der) : std::move(block.der);
                out.push_back(Certificate::from_der(
                    std::move(der), fmt::format("{}: block {} (line {})", source, block.index, block.line)));
            }
        }
    } else if (!bytes.empty()) {
        const Bytes der(bytes.begin(), bytes.end());
        try {
            if (auto certificates = read_der_pkcs7(der, source)) {
                return std::move(*certificates);
            }
            out.push_back(Certificate::from_der(der, source));
        } catch (const Error&) {
            const std::string damage = describe_der_damage(der);
            throw Error(ErrorCode::invalid_input,
                        damage.empty() ? fmt::format("{}: not a PEM or DER certificate", source)
                                       : fmt::format("{}: damaged DER: {}", source, damage));
        }
    }
    if (out.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: no certificate found", source));
    }
    return out;
}

}  // namespace certfleet::pki
