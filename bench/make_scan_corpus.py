#!/usr/bin/python3
"""Writes N certificate files for the scan benchmark (bench/scan_bench.sh).

Usage: make_scan_corpus.py OUT_DIR N [--reuse-keys]

One EC P-256 CA signs N leaves in 100 subdirectories, mixing what a cluster holds: every tenth file a
full chain (leaf + CA) as HAProxy and nginx keep them, 1-6 SANs. Every certificate has a key of its
own, so nothing downstream can profit from a cache of keys: 4 in 5 leaves get a fresh EC P-256 key;
the fifth gets an RSA-2048 key from a pool of 300 (one takes about 220 ms to make here), so at most
one leaf in 67 shares an RSA key. --reuse-keys (the 200,000-file memory run) draws the EC keys from a
pool of 1,000 instead. Uses Debian's python3-cryptography.
"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

RSA_POOL = 300
EC_POOL_WHEN_REUSING = 1000


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certfleet bench"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    reuse = "--reuse-keys" in sys.argv[3:]
    ca_key = ec.generate_private_key(ec.SECP256R1())
    start = datetime.datetime(2024, 1, 1)
    ca = (x509.CertificateBuilder().subject_name(name("Bench CA")).issuer_name(name("Bench CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    rsa_pool = [rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
                for _ in range(min(RSA_POOL, count // 5 + 1))]
    ec_pool = [ec.generate_private_key(ec.SECP256R1()).public_key()
               for _ in range(EC_POOL_WHEN_REUSING)] if reuse else []
    for i in range(count):
        if i % 5 == 0:
            key = rsa_pool[(i // 5) % len(rsa_pool)]
        elif reuse:
            key = ec_pool[i % len(ec_pool)]
        else:
            key = ec.generate_private_key(ec.SECP256R1()).public_key()
        host = f"node{i}.dc{i % 7}.example.com"
        sans = [x509.DNSName(host)] + [x509.DNSName(f"alias{j}.{host}") for j in range(i % 6)]
        cert = (x509.CertificateBuilder().subject_name(name(host)).issuer_name(ca.subject)
                .public_key(key).serial_number(x509.random_serial_number())
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
