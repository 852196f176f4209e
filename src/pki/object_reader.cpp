#include "pki/object_reader.hpp"

#include "pki/pem_reader.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

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
        std::string_view operator()(const Certificate&) const { return "certificate"; }
        std::string_view operator()(const Csr&) const { return "csr"; }
        std::string_view operator()(const PrivateKey&) const { return "private_key"; }
        std::string_view operator()(const PublicKey&) const { return "public_key"; }
        std::string_view operator()(const Crl&) const { return "crl"; }
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
    out.push_back({read_der(der, source, options), std::string(source)});
    return out;
}

std::vector<Certificate> read_certificates(std::string_view bytes, std::string_view source) {
    std::vector<Certificate> out;
    if (contains_pem(bytes)) {
        for (PemBlock& block : read_pem_blocks(bytes, source)) {
            if (is_certificate_label(block.label)) {
                Bytes der =
                    block.label == "TRUSTED CERTIFICATE" ? leading_element(block.der) : std::move(block.der);
                out.push_back(Certificate::from_der(
                    std::move(der), fmt::format("{}: block {} (line {})", source, block.index, block.line)));
            }
        }
    } else if (!bytes.empty()) {
        const Bytes der(bytes.begin(), bytes.end());
        try {
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
