#include "server/request_handler.hpp"

#include "api/json_codec.hpp"
#include "core/error.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "server/issued_answer.hpp"
#include "server/router.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>

namespace certfleet::server {
namespace {

api::RequestStatus status_of(const enrollment::RequestView& view) {
    api::RequestStatus status{.id = std::to_string(view.request.id),
                              .name = view.request.name,
                              .state = std::string(store::to_string(view.request.state))};
    if (view.request.state == store::RequestState::denied) {
        status.reason = view.request.reason;
    }
    if (view.issued) {
        status.certificate = issued_answer(*view.issued);
    }
    return status;
}

}  // namespace

HttpResponse handle_submit_request(const RequestContext& context,
                                   store::Store& store,
                                   const authority::Authority& ca,
                                   const enrollment::QueueSettings& settings,
                                   core::TimePoint now) {
    const auto submission = api::decode<api::CsrSubmission>(context.request->body(), "request body");
    const pki::Csr csr = pki::Csr::from_pem(submission.csr_pem, "csr_pem");
    const enrollment::RequestView view = enrollment::submit_request(store, ca, csr, settings, now);
    spdlog::info("request_id={} certificate_request={} name={} state={} {}",
                 context.request_id,
                 view.request.id,
                 view.request.name,
                 store::to_string(view.request.state),
                 view.autosign);
    return json_response(api::encode(status_of(view)),
                         view.issued ? http::status::created : http::status::accepted);
}

HttpResponse handle_get_request(const RequestContext& context,
                                store::Store& store,
                                const authority::Authority& ca) {
    std::int64_t id = 0;
    const std::string& text = context.parameter;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
        throw core::Error(core::ErrorCode::not_found, fmt::format("no certificate request \"{}\"", text));
    }
    return json_response(api::encode(status_of(enrollment::find_request(store, ca.name(), id))));
}

}  // namespace certfleet::server
