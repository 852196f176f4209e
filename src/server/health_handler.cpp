#include "server/health_handler.hpp"

#include "api/json_codec.hpp"
#include "api/protocol.hpp"
#include "core/error.hpp"
#include "server/router.hpp"

#include <fmt/format.h>

namespace certfleet::server {

HttpResponse handle_healthz(const RequestContext& /*context*/) {
    return json_response(
        api::encode(api::HealthStatus{.status = "ok", .version = std::string(api::certfleet_version)}));
}

HttpResponse handle_readyz(const RequestContext& /*context*/, store::Store& store) {
    try {
        static_cast<void>(store.schema_version());
    } catch (const core::Error& e) {
        throw core::Error(core::ErrorCode::unavailable, fmt::format("store not reachable: {}", e.what()));
    }
    return json_response(
        api::encode(api::HealthStatus{.status = "ready", .version = std::string(api::certfleet_version)}));
}

}  // namespace certfleet::server
