#!/usr/bin/env python3
"""The Python `cryptography` peer of `certfleet inspect`: loads each PEM of a corpus and reads the same
fields (subject, issuer, serial, SANs, dates, key type and size, SHA-1 and SHA-256 fingerprints, EKU).
Prints one line: certificates per wall-clock second and per CPU second. Usage: inspect_peer.py CORPUS_DIR [LIMIT]"""
import os
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa


def inspect(path):
    with open(path, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    total = len(cert.subject.rfc4514_string()) + len(cert.issuer.rfc4514_string())
    total += len(format(cert.serial_number, "x"))
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        total += sum(len(str(v)) for v in sans.get_values_for_type(x509.DNSName))
        total += len(sans.get_values_for_type(x509.IPAddress))
    except x509.ExtensionNotFound:
        pass
    if hasattr(cert, "not_valid_before_utc"):
        total += cert.not_valid_before_utc.year + cert.not_valid_after_utc.year
    else:
        total += cert.not_valid_before.year + cert.not_valid_after.year
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        total += key.key_size
    elif isinstance(key, ec.EllipticCurvePublicKey):
        total += len(key.curve.name)
    total += len(cert.fingerprint(hashes.SHA1()).hex(":"))
    total += len(cert.fingerprint(hashes.SHA256()).hex(":"))
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        total += sum(len(u._name) for u in eku)
    except x509.ExtensionNotFound:
        pass
    return total


def main():
    corpus = sys.argv[1]
    files = sorted(os.path.join(corpus, n) for n in os.listdir(corpus) if n.endswith(".pem"))
    if len(sys.argv) > 2:
        files = files[: int(sys.argv[2])]
    start, cpu_start = time.perf_counter(), time.process_time()
    for path in files:
        inspect(path)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"{len(files) / elapsed:.0f} {len(files) / cpu:.0f}")


if __name__ == "__main__":
    main()
