#!/usr/bin/env python3
"""Prints an ACME request body (RFC 8555 6.2, flattened JWS, ES256) for e2e 101, signed with python3-cryptography.
Usage: jws.py KEYFILE URL NONCE PAYLOAD [KID]   (KEYFILE is made when missing; PAYLOAD "" = POST-as-GET;
without KID the JWK is embedded). `jws.py KEYFILE csr NAME` prints a base64url DER CSR for NAME."""
import base64
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.x509.oid import NameOID


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def load_key(path):
    if not os.path.exists(path):
        key = ec.generate_private_key(ec.SECP256R1())
        with open(path, "wb") as out:
            out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()))
        os.chmod(path, 0o600)
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def main():
    key = load_key(sys.argv[1])
    if sys.argv[2] == "csr":
        name = sys.argv[3]
        csr = (x509.CertificateSigningRequestBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
               .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
               .sign(key, hashes.SHA256()))
        print(b64(csr.public_bytes(serialization.Encoding.DER)))
        return
    url, nonce, payload = sys.argv[2], sys.argv[3], sys.argv[4]
    header = {"alg": "ES256", "nonce": nonce, "url": url}
    if len(sys.argv) > 5:
        header["kid"] = sys.argv[5]
    else:
        nums = key.public_key().public_numbers()
        header["jwk"] = {"kty": "EC", "crv": "P-256", "x": b64(nums.x.to_bytes(32, "big")),
                         "y": b64(nums.y.to_bytes(32, "big"))}
    protected = b64(json.dumps(header).encode())
    body = b64(payload.encode()) if payload else ""
    r, s = utils.decode_dss_signature(key.sign((protected + "." + body).encode(), ec.ECDSA(hashes.SHA256())))
    print(json.dumps({"protected": protected, "payload": body,
                      "signature": b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))}))


main()
