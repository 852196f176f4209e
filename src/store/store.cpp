#include "store/store.hpp"

#include "core/error.hpp"
#include "store/store_url.hpp"

#include <fmt/format.h>

namespace certfleet::store {

std::string_view to_string(CertificateStatus status) noexcept {
    return status == CertificateStatus::revoked ? "revoked" : "valid";
}

std::unique_ptr<Store> open_store(const std::string& url) {
    const std::string_view text = url;
    if (text.starts_with("sqlite://")) {
        // sqlite:///abs/path keeps its leading slash; sqlite://rel/path is relative.
        return open_sqlite_store(std::string(text.substr(9)));
    }
    if (text.starts_with("sqlite:")) {
        return open_sqlite_store(std::string(text.substr(7)));
    }
    if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
        return open_postgres_store(url);
    }
    throw core::Error(core::ErrorCode::invalid_input,
                      fmt::format("--store: unknown store URL scheme in \"{}\" (use sqlite:///path or "
                                  "postgresql://user@host:port/db)",
                                  url.substr(0, url.find(':'))));
}

}  // namespace certfleet::store
