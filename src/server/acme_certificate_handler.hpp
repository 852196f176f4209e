#pragma once

#include "server/acme_service.hpp"

namespace certfleet::server {

/// POST finalize/{id} (RFC 8555 7.4): {"csr": base64url DER}. orderNotReady unless the order is ready;
/// badCSR for a CSR that cannot be read or whose names are not the order's; issues through
/// acme::finalize_order and answers the order (valid, with its certificate URL) and its Location.
HttpResponse handle_acme_finalize(const RequestContext& context, AcmeService& acme);
/// POST cert/{serial} (RFC 8555 7.4.2, POST-as-GET): the certificate and its issuing chain (without the
/// root unless the root issues) as application/pem-certificate-chain, to the account that ordered it.
HttpResponse handle_acme_certificate(const RequestContext& context, AcmeService& acme);
/// POST revokeCert (RFC 8555 7.6): signed by the ordering account ("kid") or by the certificate's key
/// ("jwk"); revokes through acme::revoke_certificate, which signs a new CRL. 200 with an empty body.
HttpResponse handle_acme_revoke(const RequestContext& context, AcmeService& acme);

}  // namespace certfleet::server
