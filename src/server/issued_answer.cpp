#include "server/issued_answer.hpp"

#include "pki/certificate.hpp"

namespace certfleet::server {

api::IssuedCertificate issued_answer(const authority::IssuedCertificate& issued) {
    return {.serial = issued.certificate.serial_hex(),
            .certificate_pem = issued.certificate.pem(),
            .chain_pem = issued.chain_pem,
            .not_after = pki::format_time(issued.certificate.not_after())};
}

}  // namespace certfleet::server
