#pragma once

#include "core/error.hpp"
#include "server/request_context.hpp"
#include "store/records.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace certfleet::server {

/// Returns a Puppet CA API answer: `status` and `body` as text/plain.
HttpResponse puppet_text(http::status status, std::string body);

/// Returns the refusal Puppet clients read: the status of `error` (invalid_input 400; conflict 400, or
/// 409 with `conflict_is_409`, as puppetserver answers certificate_status; not_found 404; unauthenticated
/// 401; forbidden 403; unavailable 503) and its message as text/plain. An internal error is logged under
/// the request id and answered 500 without details.
HttpResponse puppet_refusal(const RequestContext& context, const core::Error& error, bool conflict_is_409);

/// Runs `handle`, turning a core::Error into puppet_refusal.
template <typename Handle>
HttpResponse puppet_answer(const RequestContext& context, bool conflict_is_409, Handle&& handle) {
    try {
        return handle();
    } catch (const core::Error& e) {
        return puppet_refusal(context, e, conflict_is_409);
    }
}

/// The newest certificate of `CN=certname` issued by `authority` that is neither revoked nor expired at
/// `now`: what GET certificate/NAME serves.
std::optional<store::CertificateRecord> signed_certificate(store::Store& store,
                                                           std::string_view authority,
                                                           std::string_view certname,
                                                           core::TimePoint now);

}  // namespace certfleet::server
