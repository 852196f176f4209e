#include "server/ca_handler.hpp"

#include "api/json_codec.hpp"
#include "core/error.hpp"
#include "pki/fingerprint.hpp"
#include "pki/pem_reader.hpp"
#include "server/router.hpp"

#include <fmt/format.h>

namespace certfleet::server {
namespace {

enum class Format { standard, pem };

Format requested_format(const RequestContext& context) {
    const auto format = context.query_parameter("format");
    if (!format || format->empty()) {
        return Format::standard;
    }
    if (*format == "pem") {
        return Format::pem;
    }
    throw core::Error(core::ErrorCode::invalid_input,
                      fmt::format("query format=\"{}\": expected pem", *format));
}

}  // namespace

HttpResponse handle_get_ca(const RequestContext& context, const authority::Authority& ca) {
    const Format format = requested_format(context);
    api::CaBundle bundle{.authority = ca.name()};
    std::string chain_text;
    for (const pki::Certificate& certificate : ca.chain()) {
        bundle.chain_pem.push_back(certificate.pem());
        chain_text += certificate.pem();
    }
    const pki::Certificate& root = ca.chain().back();
    bundle.root_pem = root.pem();
    bundle.root_sha256 =
        pki::to_hex(pki::digest(pki::DigestAlgorithm::sha256, root.der().data(), root.der().size()));
    if (format == Format::pem) {
        return content_response(std::move(chain_text), "application/x-pem-file");
    }
    return json_response(api::encode(bundle));
}

HttpResponse handle_get_crl(const RequestContext& context, CrlPublisher& crl, core::TimePoint now) {
    const Format format = requested_format(context);
    const store::CrlRecord current = crl.current(now);
    if (format == Format::pem) {
        return content_response(pki::write_pem("X509 CRL", current.der), "application/x-pem-file");
    }
    return content_response(pki::to_string(current.der), "application/pkix-crl");
}

}  // namespace certfleet::server
