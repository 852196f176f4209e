#pragma once

#include "pki/openssl_handles.hpp"

namespace certfleet::pki {

/// Returns a library context that holds only OpenSSL's "null" provider.
///
/// Why: in OpenSSL 3.0, parsing a certificate or an SPKI (d2i_X509, d2i_X509_PUBKEY) also decodes its
/// public key eagerly through OSSL_DECODER_CTX_new_for_pkey, which enumerates every provider decoder and
/// costs about 90% of the parse. Structures parsed with ASN1_item_d2i_ex in this context find no decoder,
/// keep the key as raw SPKI bytes, and parse about 9x faster (bench/RESULTS.md). Code that needs the key
/// decodes it explicitly in the default context (PublicKey::evp, Certificate::x509).
/// Loading "null" explicitly also stops OpenSSL from falling back to the default provider.
OSSL_LIB_CTX* structure_only_context();

/// Parses DER of `item` (X509, X509_PUBKEY, X509_REQ, X509_CRL) in structure_only_context(); returns
/// nullptr if it is not well-formed or has trailing bytes.
ASN1_VALUE* parse_structure(const ASN1_ITEM* item, const unsigned char* der, std::size_t size);

}  // namespace certfleet::pki
