#pragma once

#include "api/messages.hpp"
#include "authority/authority.hpp"

namespace certfleet::server {

/// Returns what the /v1 routes answer for a certificate they issued (enroll, renew, a request once
/// issued): serial, certificate, chain up to (not including) the root, notAfter.
api::IssuedCertificate issued_answer(const authority::IssuedCertificate& issued);

}  // namespace certfleet::server
