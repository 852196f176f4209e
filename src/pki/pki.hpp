#pragma once
// pki/ owns the X.509 objects and what can be said about them: keys, CSRs, certificates, CRLs,
// names, fingerprints, lenient PEM/DER reading with precise errors, chain verification through
// OpenSSL's X509_STORE and the expectations an operator checks (host, purpose, issuer, remaining
// validity) turned into findings. It does not own files on disk, keystores (formats/) or issuance
// (authority/).
//
// This header holds only the folder's opening comment (STYLE.md section 1); include the header of
// the type you use.
