#include "server/enrollment_routes.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "server/enroll_handler.hpp"
#include "server/request_handler.hpp"

#include <fmt/format.h>

#include <memory>

namespace certfleet::server {

enrollment::QueueSettings queue_settings(const RequestQueueConfig& config) {
    enrollment::QueueSettings settings{
        .profile = config.profile,
        .autosign = {.globs = config.autosign_globs, .policy_executable = config.autosign_policy_executable},
        .policy_timeout = config.autosign_policy_timeout};
    if (!config.autosign_challenge_file.empty()) {
        std::string text = core::read_file(config.autosign_challenge_file);
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
            text.pop_back();
        }
        if (text.empty()) {
            throw core::Error(
                core::ErrorCode::invalid_input,
                fmt::format("autosign.challenge_file: {} is empty", config.autosign_challenge_file));
        }
        settings.autosign.challenge = core::Secret(std::move(text));
    }
    return settings;
}

void add_enrollment_routes(Router& router,
                           store::Store& store,
                           const authority::Authority& ca,
                           const core::Clock& clock,
                           const RequestQueueConfig& config) {
    auto settings = std::make_shared<const enrollment::QueueSettings>(queue_settings(config));
    router.add({.method = http::verb::post,
                .pattern = "/v1/enroll",
                .handler = [&store, &ca, &clock](const RequestContext& c) {
                    return handle_enroll(c, store, ca, clock.now());
                }});
    router.add({.method = http::verb::post,
                .pattern = "/v1/requests",
                .handler = [&store, &ca, &clock, settings](const RequestContext& c) {
                    return handle_submit_request(c, store, ca, *settings, clock.now());
                }});
    router.add(
        {.method = http::verb::get,
         .pattern = "/v1/requests/{id}",
         .handler = [&store, &ca](const RequestContext& c) { return handle_get_request(c, store, ca); }});
}

}  // namespace certfleet::server
