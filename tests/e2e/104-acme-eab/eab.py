#!/usr/bin/env python3
"""Prints an externalAccountBinding (RFC 8555 7.3.4) for e2e 104: a flattened JWS whose payload is the JWK of
the ES256 key in KEYFILE (made by ../101-acme-refusals/jws.py), MACed with HS256 by Python's hmac module.
Usage: eab.py KEYFILE URL KID HMAC_KEY   (HMAC_KEY in base64url, as in the server's eab_keys_file)."""
import base64
import hashlib
import hmac
import json
import sys

from cryptography.hazmat.primitives import serialization


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main():
    path, url, kid, mac_key = sys.argv[1:5]
    with open(path, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    nums = key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "x": b64(nums.x.to_bytes(32, "big")), "y": b64(nums.y.to_bytes(32, "big"))}
    protected = b64(json.dumps({"alg": "HS256", "kid": kid, "url": url}).encode())
    payload = b64(json.dumps(jwk).encode())
    raw_key = base64.urlsafe_b64decode(mac_key + "=" * (-len(mac_key) % 4))
    mac = hmac.new(raw_key, (protected + "." + payload).encode(), hashlib.sha256).digest()
    print(json.dumps({"protected": protected, "payload": payload, "signature": b64(mac)}))


main()
