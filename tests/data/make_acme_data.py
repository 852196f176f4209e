#!/usr/bin/env python3
"""Writes ACME test vectors made by a third party (python3-cryptography): JWS requests signed with ES256,
ES384 and RS256 account keys, good and bad, and JWKs with their RFC 7638 thumbprints.
Usage: make_acme_data.py OUT_DIR  (writes OUT_DIR/acme/jws_vectors.json)."""
import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def uint(n, size=None):
    size = size or max(1, (n.bit_length() + 7) // 8)
    return n.to_bytes(size, "big")


def jwk_of(key):
    pub = key.public_key()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        size = (key.curve.key_size + 7) // 8
        nums = pub.public_numbers()
        crv = {256: "P-256", 384: "P-384"}[key.curve.key_size]
        return {"kty": "EC", "crv": crv, "x": b64(uint(nums.x, size)), "y": b64(uint(nums.y, size))}
    nums = pub.public_numbers()
    return {"kty": "RSA", "n": b64(uint(nums.n)), "e": b64(uint(nums.e))}


def thumbprint(jwk):
    required = ["crv", "kty", "x", "y"] if jwk["kty"] == "EC" else ["e", "kty", "n"]
    canonical = json.dumps({k: jwk[k] for k in required}, sort_keys=True, separators=(",", ":"))
    return b64(hashlib.sha256(canonical.encode()).digest())


def raw_signature(alg, key, data, der=False):
    if alg == "RS256":
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    digest = hashes.SHA256() if alg == "ES256" else hashes.SHA384()
    sig = key.sign(data, ec.ECDSA(digest))
    if der:
        return sig
    r, s = utils.decode_dss_signature(sig)
    size = (key.curve.key_size + 7) // 8
    return uint(r, size) + uint(s, size)


def jws(alg, key, header, payload, der=False, sign_alg=None):
    protected = b64(json.dumps(header).encode())
    body = "" if payload is None else b64(json.dumps(payload).encode())
    signature = raw_signature(sign_alg or alg, key, (protected + "." + body).encode(), der)
    return {"protected": protected, "payload": body, "signature": b64(signature)}


URL = "https://127.0.0.1:8443/acme/main/new-account"
KID = "https://127.0.0.1:8443/acme/main/acct/1"
NONCE = "bm9uY2Utbm90LWNoZWNrZWQtaGVyZQ"


def main():
    out = os.path.join(sys.argv[1], "acme")
    os.makedirs(out, exist_ok=True)
    keys = {
        "ES256": ec.generate_private_key(ec.SECP256R1()),
        "ES384": ec.generate_private_key(ec.SECP384R1()),
        "RS256": rsa.generate_private_key(public_exponent=65537, key_size=2048),
    }
    other = ec.generate_private_key(ec.SECP256R1())
    cases = []

    def add(name, body, stage, problem=None, binding="jwk", key_jwk=None, url=URL, post_as_get=False):
        cases.append({"name": name, "body": body if isinstance(body, str) else json.dumps(body), "stage": stage,
                      "problem": problem, "binding": binding, "key_jwk": key_jwk, "url": url,
                      "post_as_get": post_as_get})

    payload = {"termsOfServiceAgreed": True, "contact": ["mailto:ops@example.test"]}
    for alg, key in keys.items():
        j = jwk_of(key)
        add(f"new_account_{alg}", jws(alg, key, {"alg": alg, "jwk": j, "nonce": NONCE, "url": URL}, payload), "ok",
            key_jwk=j)
        add(f"post_as_get_{alg}", jws(alg, key, {"alg": alg, "kid": KID, "nonce": NONCE, "url": URL}, None), "ok",
            binding="kid", key_jwk=j, post_as_get=True)
    es = keys["ES256"]
    j = jwk_of(es)
    good = jws("ES256", es, {"alg": "ES256", "jwk": j, "nonce": NONCE, "url": URL}, payload)
    tampered = dict(good, payload=b64(json.dumps({"termsOfServiceAgreed": False}).encode()))
    add("payload_changed_after_signing", tampered, "signature", "malformed", key_jwk=j)
    add("ecdsa_signature_in_der", jws("ES256", es, {"alg": "ES256", "jwk": j, "nonce": NONCE, "url": URL}, payload,
                                      der=True), "signature", "malformed", key_jwk=j)
    add("signed_by_another_key", jws("ES256", other, {"alg": "ES256", "jwk": j, "nonce": NONCE, "url": URL},
                                     payload), "signature", "malformed", key_jwk=j)
    add("alg_none", {"protected": b64(json.dumps({"alg": "none", "jwk": j, "nonce": NONCE, "url": URL}).encode()),
                     "payload": b64(b"{}"), "signature": ""}, "parse", "badSignatureAlgorithm")
    add("alg_hs256", {"protected": b64(json.dumps({"alg": "HS256", "jwk": j, "nonce": NONCE, "url": URL}).encode()),
                      "payload": b64(b"{}"), "signature": b64(b"x" * 32)}, "parse", "badSignatureAlgorithm")
    add("alg_rs256_with_an_ec_key", jws("RS256", keys["RS256"], {"alg": "RS256", "jwk": j, "nonce": NONCE,
                                                                 "url": URL}, payload),
        "signature", "badSignatureAlgorithm", key_jwk=j)
    add("url_of_another_resource", jws("ES256", es, {"alg": "ES256", "jwk": j, "nonce": NONCE,
                                                     "url": URL + "x"}, payload), "header", "unauthorized", key_jwk=j)
    add("no_nonce", jws("ES256", es, {"alg": "ES256", "jwk": j, "url": URL}, payload), "header", "badNonce",
        key_jwk=j)
    add("kid_where_jwk_is_required", jws("ES256", es, {"alg": "ES256", "kid": KID, "nonce": NONCE, "url": URL},
                                         payload), "header", "malformed", key_jwk=j)
    add("jwk_where_kid_is_required", good, "header", "malformed", binding="kid", key_jwk=j)
    add("jwk_and_kid", jws("ES256", es, {"alg": "ES256", "jwk": j, "kid": KID, "nonce": NONCE, "url": URL},
                           payload), "parse", "malformed")
    add("no_url", jws("ES256", es, {"alg": "ES256", "jwk": j, "nonce": NONCE}, payload), "parse", "malformed")
    add("padded_base64", dict(good, protected=good["protected"] + "=" * (-len(good["protected"]) % 4 or 4)),
        "parse", "malformed")
    add("standard_base64_alphabet", dict(good, signature="+/" + good["signature"][2:]), "parse", "malformed")
    add("unprotected_header", dict(good, header={"kid": KID}), "parse", "malformed")
    add("general_serialization", {"payload": good["payload"], "signatures": [
        {"protected": good["protected"], "signature": good["signature"]}]}, "parse", "malformed")
    add("b64_false", jws("ES256", es, {"alg": "ES256", "jwk": j, "nonce": NONCE, "url": URL, "b64": False,
                                       "crit": ["b64"]}, payload), "parse", "malformed")
    add("not_json", "protected.payload.signature", "parse", "malformed")

    # JWKs: good ones with their thumbprints, bad ones with the problem they must get.
    jwks = [{"name": alg, "jwk": jwk_of(k), "thumbprint": thumbprint(jwk_of(k)), "problem": None}
            for alg, k in keys.items()]
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    jwks.append({"name": "rsa_1024", "jwk": jwk_of(small), "thumbprint": None, "problem": "badPublicKey"})
    off = dict(jwk_of(es))
    y = int.from_bytes(base64.urlsafe_b64decode(off["y"] + "=="), "big")
    off["y"] = b64(uint(y ^ 1, 32))
    jwks.append({"name": "point_off_the_curve", "jwk": off, "thumbprint": None, "problem": "badPublicKey"})
    while True:  # an EC key whose x has a leading zero byte, then written without it
        k = ec.generate_private_key(ec.SECP256R1())
        if k.public_key().public_numbers().x.bit_length() <= 248:
            break
    short = jwk_of(k)
    short["x"] = b64(uint(k.public_key().public_numbers().x))
    jwks.append({"name": "ec_coordinate_not_full_length", "jwk": short, "thumbprint": None, "problem": "badPublicKey"})
    jwks.append({"name": "symmetric_key", "jwk": {"kty": "oct", "k": b64(b"secret")}, "thumbprint": None,
                 "problem": "badPublicKey"})
    p521 = jwk_of(ec.generate_private_key(ec.SECP256R1()))
    p521["crv"] = "P-521"
    jwks.append({"name": "unsupported_curve", "jwk": p521, "thumbprint": None, "problem": "badPublicKey"})
    with open(os.path.join(out, "jws_vectors.json"), "w") as f:
        json.dump({"cases": cases, "jwks": jwks}, f, indent=1)


if __name__ == "__main__":
    main()
