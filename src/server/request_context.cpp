#include "server/request_context.hpp"

namespace certfleet::server {

std::optional<std::string> RequestContext::query_parameter(std::string_view name) const {
    std::string_view rest = query;
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const std::size_t eq = pair.find('=');
        if (pair.substr(0, eq) == name) {
            return std::string(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        }
        if (amp == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

}  // namespace certfleet::server
