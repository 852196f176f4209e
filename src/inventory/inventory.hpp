#pragma once
// inventory/ owns finding out which certificates exist where: scanning files and keystores
// (file_scanner), probing live TLS endpoints (endpoint_scanner), the record of each certificate found
// with its expiry (inventory_report), filters over those records, the Prometheus exposition of them in
// the metric names of x509-certificate-exporter, and drift against what we issued (drift: it reads the
// store through the Store interface, never writes). It does not parse containers itself
// (formats::read_artifact does, so every format formats/ learns is scanned too) or decide trust policy
// (pki/).
//
// This header holds only the folder's opening comment (STYLE.md section 1); include the header of
// the type you use.
