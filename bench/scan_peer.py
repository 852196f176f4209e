#!/usr/bin/python3
"""The Python peer of `certfleet scan`: walks a tree and reads the same fields from every certificate
with python3-cryptography (subject, issuer, serial, SANs, not-after, days left, key type and size,
SHA-256 fingerprint), printing JSON lines to stdout. Single process, as such scripts are written.

Usage: scan_peer.py DIR

Prints to stderr "scan_peer: N certificates in S seconds" timed from after the imports to the end, so
the benchmark can compare certfleet's whole process with this in-process time (interpreter start
excluded). Runs with cryptography 38 (Debian) and 48 (pyenv's python 3.11).
"""
import datetime
import json
import os
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa

BEGIN = b"-----BEGIN CERTIFICATE-----"
END = b"-----END CERTIFICATE-----"


def certificates(data):
    """Every PEM certificate in `data` (cryptography 38 has no load_pem_x509_certificates)."""
    at = 0
    while True:
        start = data.find(BEGIN, at)
        if start < 0:
            return
        end = data.find(END, start)
        if end < 0:
            raise ValueError("no END line")
        at = end + len(END)
        yield x509.load_pem_x509_certificate(data[start:at])


def describe_key(cert):
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC {key.curve.name}"
    return type(key).__name__


def not_after(cert):
    """notAfter as a naive UTC datetime (cryptography 42+ deprecates not_valid_after for the _utc form)."""
    if hasattr(cert, "not_valid_after_utc"):
        return cert.not_valid_after_utc.replace(tzinfo=None)
    return cert.not_valid_after


def main():
    started = time.perf_counter()
    count = 0
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    out = sys.stdout
    errors = 0
    paths = []
    for dirpath, _, files in os.walk(sys.argv[1]):
        paths.extend(os.path.join(dirpath, f) for f in files)
    for path in sorted(paths):
        try:
            with open(path, "rb") as f:
                data = f.read()
            for cert in certificates(data):
                try:
                    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
                    names = [f"DNS:{n}" for n in sans.value.get_values_for_type(x509.DNSName)]
                except x509.ExtensionNotFound:
                    names = []
                expires = not_after(cert)
                count += 1
                out.write(json.dumps({
                    "path": path,
                    "subject": cert.subject.rfc4514_string(),
                    "issuer": cert.issuer.rfc4514_string(),
                    "serial": format(cert.serial_number, "x"),
                    "subject_alt_names": names,
                    "not_after": expires.isoformat() + "Z",
                    "days_left": (expires - now).days,
                    "key": describe_key(cert),
                    "sha256": cert.fingerprint(hashes.SHA256()).hex(":").upper(),
                }) + "\n")
        except (OSError, ValueError) as e:
            errors += 1
            print(f"{path}: {e}", file=sys.stderr)
    out.flush()
    print(f"scan_peer: {count} certificates in {time.perf_counter() - started:.3f} seconds", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
