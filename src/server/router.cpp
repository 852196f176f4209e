#include "server/router.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace certfleet::server {
namespace {

constexpr std::string_view parameter_marker = "{id}";

// Matches `path` against `pattern`; a trailing {id} takes one non-empty segment without '/'.
bool matches(std::string_view pattern, std::string_view path, std::string& parameter) {
    if (!pattern.ends_with(parameter_marker)) {
        return pattern == path;
    }
    const std::string_view prefix = pattern.substr(0, pattern.size() - parameter_marker.size());
    if (!path.starts_with(prefix)) {
        return false;
    }
    const std::string_view rest = path.substr(prefix.size());
    if (rest.empty() || rest.find('/') != std::string_view::npos) {
        return false;
    }
    parameter = rest;
    return true;
}

}  // namespace

void Router::add(Route route) {
    for (const Route& existing : m_routes) {
        if (existing.method == route.method && existing.pattern == route.pattern) {
            throw core::Error(
                core::ErrorCode::internal,
                fmt::format(
                    "route {} {} added twice", std::string(to_std(to_string(route.method))), route.pattern));
        }
    }
    m_routes.push_back(std::move(route));
}

RouteMatch Router::find(http::verb method, std::string_view path) const {
    RouteMatch match;
    for (const Route& route : m_routes) {
        std::string parameter;
        if (!matches(route.pattern, path, parameter)) {
            continue;
        }
        if (route.method == method || (method == http::verb::head && route.method == http::verb::get)) {
            match.route = &route;
            match.parameter = std::move(parameter);
            match.other_method = false;
            return match;
        }
        match.other_method = true;
    }
    return match;
}

HttpResponse json_response(std::string body, http::status status) {
    HttpResponse response{status, 11};
    response.set(http::field::content_type, "application/json");
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

HttpResponse content_response(std::string body, std::string_view content_type) {
    HttpResponse response{http::status::ok, 11};
    response.set(http::field::content_type, to_beast(content_type));
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

}  // namespace certfleet::server
