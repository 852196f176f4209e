#!/usr/bin/python3
"""Writes N certificate files for the scan benchmark (bench/scan_bench.sh) quickly.

Usage: make_scan_corpus.py OUT_DIR N

One EC P-256 CA signs N leaves (keys reused: parsing cost does not depend on key uniqueness), in 100
subdirectories, mixing what a cluster holds: EC P-256 and RSA-2048 leaves, 1-4 SANs, and every tenth
file a full chain (leaf + CA) as HAProxy and nginx keep them. Uses Debian's python3-cryptography.
"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certfleet bench"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    ca_key = ec.generate_private_key(ec.SECP256R1())
    start = datetime.datetime(2024, 1, 1)
    ca = (x509.CertificateBuilder().subject_name(name("Bench CA")).issuer_name(name("Bench CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    leaf_keys = [ec.generate_private_key(ec.SECP256R1()).public_key(),
                 rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()]
    for i in range(count):
        host = f"node{i}.dc{i % 7}.example.com"
        sans = [x509.DNSName(host)] + [x509.DNSName(f"alias{j}.{host}") for j in range(i % 4)]
        cert = (x509.CertificateBuilder().subject_name(name(host)).issuer_name(ca.subject)
                .public_key(leaf_keys[i % 5 == 0]).serial_number(x509.random_serial_number())
                .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=30 + i % 1000))
                .add_extension(x509.SubjectAlternativeName(sans), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .sign(ca_key, hashes.SHA256()))
        pem = cert.public_bytes(serialization.Encoding.PEM)
        directory = os.path.join(out, f"d{i % 100:02d}")
        os.makedirs(directory, exist_ok=True)
        suffix = "fullchain.pem" if i % 10 == 0 else "pem"
        with open(os.path.join(directory, f"node{i}.{suffix}"), "wb") as f:
            f.write(pem + (ca_pem if i % 10 == 0 else b""))


if __name__ == "__main__":
    main()
