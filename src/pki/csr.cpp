#include "pki/csr.hpp"

#include "core/separated_list.hpp"
#include "pki/distinguished_name.hpp"
#include "pki/pem_reader.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

void add_extension(STACK_OF(X509_EXTENSION) * extensions, int nid, int critical, void* value) {
    X509ExtensionPtr ext(X509V3_EXT_i2d(nid, critical, value));
    if (!ext || sk_X509_EXTENSION_push(extensions, ext.get()) == 0) {
        throw_openssl_error(ErrorCode::internal, "cannot build CSR extension");
    }
    static_cast<void>(ext.release());  // the stack owns it now
}

// Ed25519/Ed448 sign the message itself: OpenSSL wants no digest for them.
const EVP_MD* digest_for(const EVP_PKEY* key) {
    const int id = EVP_PKEY_get_base_id(key);
    return (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) ? nullptr : EVP_sha256();
}

}  // namespace

std::vector<KeyPurpose> parse_key_purposes(std::string_view text, std::string_view field) {
    std::vector<KeyPurpose> out;
    for (const std::string_view item : core::split_list(text)) {
        if (item == "server" || item == "serverAuth") {
            out.push_back(KeyPurpose::server);
        } else if (item == "client" || item == "clientAuth") {
            out.push_back(KeyPurpose::client);
        } else if (item == "peer") {
            out.push_back(KeyPurpose::server);
            out.push_back(KeyPurpose::client);
        } else {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: unknown purpose \"{}\" (use server, client or peer)", field, item));
        }
    }
    return out;
}

Csr Csr::create(const CsrRequest& request, const PrivateKey& key) {
    X509ReqPtr req(X509_REQ_new());
    if (!req || X509_REQ_set_version(req.get(), 0) != 1) {
        throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    const X509NamePtr subject = parse_name(request.subject, "--subject");
    if (X509_REQ_set_subject_name(req.get(), subject.get()) != 1 ||
        X509_REQ_set_pubkey(req.get(), key.get()) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot build CSR");
    }
    X509ExtensionStackPtr extensions(sk_X509_EXTENSION_new_null());
    if (!extensions) {
        throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    if (!request.subject_alt_names.empty()) {
        const GeneralNamesPtr names = to_general_names(request.subject_alt_names);
        add_extension(extensions.get(), NID_subject_alt_name, 0, names.get());
    }
    if (!request.purposes.empty()) {
        ExtendedKeyUsagePtr eku(sk_ASN1_OBJECT_new_null());
        for (const KeyPurpose purpose : request.purposes) {
            const int nid = purpose == KeyPurpose::server ? NID_server_auth : NID_client_auth;
            // OBJ_nid2obj returns a static object, which ASN1_OBJECT_free leaves alone.
            if (sk_ASN1_OBJECT_push(eku.get(), OBJ_nid2obj(nid)) == 0) {
                throw_openssl_error(ErrorCode::internal, "out of memory");
            }
        }
        add_extension(extensions.get(), NID_ext_key_usage, 0, eku.get());
    }
    if (sk_X509_EXTENSION_num(extensions.get()) > 0 &&
        X509_REQ_add_extensions(req.get(), extensions.get()) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot add CSR extensions");
    }
    if (X509_REQ_sign(req.get(), key.get(), digest_for(key.get())) <= 0) {
        throw_openssl_error(ErrorCode::internal, "cannot sign CSR");
    }
    return Csr(std::move(req));
}

Csr Csr::from_der(const Bytes& der, std::string_view source) {
    const unsigned char* p = der.data();
    X509ReqPtr req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
    if (!req || p != der.data() + der.size()) {
        throw_openssl_error(ErrorCode::invalid_input,
                            fmt::format("{}: not a valid DER certificate request", source));
    }
    // Checked here, where the file is known, so that public_key() cannot fail later without a name.
    if (X509_REQ_get0_pubkey(req.get()) == nullptr) {
        throw_openssl_error(ErrorCode::invalid_input,
                            fmt::format("{}: the certificate request has no readable public key", source));
    }
    return Csr(std::move(req));
}

Csr Csr::from_pem(std::string_view pem, std::string_view source) {
    for (const PemBlock& block : read_pem_blocks(pem, source)) {
        if (block.label == "CERTIFICATE REQUEST" || block.label == "NEW CERTIFICATE REQUEST") {
            return from_der(block.der, fmt::format("{}: block {}", source, block.index));
        }
    }
    throw Error(ErrorCode::invalid_input, fmt::format("{}: no certificate request found", source));
}

Bytes Csr::der() const {
    unsigned char* der = nullptr;
    const int len = i2d_X509_REQ(m_req.get(), &der);
    if (len <= 0) {
        throw_openssl_error(ErrorCode::internal, "cannot encode CSR");
    }
    const OpensslBytesPtr owned(der);
    return {der, der + len};
}

std::string Csr::pem() const {
    return write_pem("CERTIFICATE REQUEST", der());
}
std::string Csr::subject() const {
    return format_name(X509_REQ_get_subject_name(m_req.get()));
}
std::string Csr::subject_common_name() const {
    return common_name(X509_REQ_get_subject_name(m_req.get()));
}

std::vector<GeneralName> Csr::subject_alt_names() const {
    const X509ExtensionStackPtr extensions(X509_REQ_get_extensions(m_req.get()));
    ERR_clear_error();
    if (!extensions) {
        return {};
    }
    const GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
        X509V3_get_d2i(extensions.get(), NID_subject_alt_name, nullptr, nullptr)));
    ERR_clear_error();
    return names ? read_general_names(names.get()) : std::vector<GeneralName>{};
}

std::vector<std::string> Csr::requested_extended_key_usage() const {
    const X509ExtensionStackPtr extensions(X509_REQ_get_extensions(m_req.get()));
    ERR_clear_error();
    std::vector<std::string> out;
    if (!extensions) {
        return out;
    }
    const ExtendedKeyUsagePtr eku(static_cast<EXTENDED_KEY_USAGE*>(
        X509V3_get_d2i(extensions.get(), NID_ext_key_usage, nullptr, nullptr)));
    ERR_clear_error();
    for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
        const int nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(eku.get(), i));
        out.emplace_back(nid == NID_undef ? "unknown" : OBJ_nid2sn(nid));
    }
    return out;
}

PublicKey Csr::public_key() const {
    const EVP_PKEY* key = X509_REQ_get0_pubkey(m_req.get());
    if (key == nullptr) {
        throw_openssl_error(ErrorCode::invalid_input, "the certificate request has no readable public key");
    }
    return PublicKey::from_evp(key);
}

std::string Csr::signature_algorithm() const {
    const int nid = X509_REQ_get_signature_nid(m_req.get());
    return nid == NID_undef ? "unknown" : OBJ_nid2ln(nid);
}

bool Csr::has_valid_signature() const {
    EVP_PKEY* key = X509_REQ_get0_pubkey(m_req.get());
    const bool ok = key != nullptr && X509_REQ_verify(m_req.get(), key) == 1;
    ERR_clear_error();
    return ok;
}

}  // namespace certfleet::pki
