#include "pki/structure_only_context.hpp"

#include <climits>

namespace certfleet::pki {
namespace {

struct StructureOnlyContext {
    StructureOnlyContext()
        : context(OSSL_LIB_CTX_new()), null_provider(OSSL_PROVIDER_load(context.get(), "null")) {
        if (!context || !null_provider) {
            throw_openssl_error(core::ErrorCode::internal, "cannot create the parsing library context");
        }
    }
    OsslLibCtxPtr context;
    OsslProviderPtr null_provider;
};

}  // namespace

OSSL_LIB_CTX* structure_only_context() {
    // Never destroyed: certificates parsed in it keep a pointer to it until process exit.
    // NOLINTNEXTLINE(cppcoreguidelines-owning-memory,cppcoreguidelines-avoid-non-const-global-variables)
    static auto* const instance = new StructureOnlyContext();
    return instance->context.get();
}

ASN1_VALUE* parse_structure(const ASN1_ITEM* item, const unsigned char* der, std::size_t size) {
    if (size > static_cast<std::size_t>(LONG_MAX)) {
        return nullptr;
    }
    const unsigned char* p = der;
    ASN1_VALUE* value =
        ASN1_item_d2i_ex(nullptr, &p, static_cast<long>(size), item, structure_only_context(), nullptr);
    if (value != nullptr && p != der + size) {
        free_asn1_item(value, item);
        return nullptr;
    }
    return value;
}

}  // namespace certfleet::pki
