#!/usr/bin/env python3
"""Writes ACME test vectors made by a third party (python3-cryptography): JWS requests signed with ES256,
ES384 and RS256 account keys, good and bad, and JWKs with their RFC 7638 thumbprints; external account
bindings (RFC 8555 7.3.4) MACed by Python's hmac module, good and bad.
Usage: make_acme_data.py OUT_DIR  (writes OUT_DIR/acme/jws_vectors.json and OUT_DIR/acme/eab_vectors.json)."""
import base64
import hashlib
import hmac
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

    write_eab_vectors(out, keys, other)


def eab(alg, mac_key, header, payload_jwk, tamper=None):
    """An externalAccountBinding: flattened JWS, payload the account JWK, MAC with mac_key (RFC 7518 3.2)."""
    protected = b64(json.dumps(header).encode())
    payload = b64(json.dumps(payload_jwk).encode())
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}.get(alg, hashlib.sha256)
    mac = hmac.new(mac_key, (protected + "." + payload).encode(), digest).digest()
    out = {"protected": protected, "payload": payload, "signature": b64(mac)}
    if tamper:
        tamper(out)
    return out


def write_eab_vectors(out, keys, other):
    mac_keys = {"kid-1": os.urandom(32), "kid-2": os.urandom(64)}
    keys_file = "# kid  HMAC key (base64url)\n" + "".join(f"{kid} {b64(k)}\n" for kid, k in mac_keys.items())
    account = jwk_of(keys["ES256"])
    cases = []

    def add(name, binding, problem=None, kid=None):
        cases.append({"name": name, "binding": binding, "problem": problem, "kid": kid})

    def header(alg="HS256", kid="kid-1", url=URL, **extra):
        h = {"alg": alg, "kid": kid, "url": url}
        h.update(extra)
        return h

    k1 = mac_keys["kid-1"]
    for alg in ("HS256", "HS384", "HS512"):
        add(f"valid_{alg}", eab(alg, k1, header(alg), account), kid="kid-1")
    add("valid_rsa_account_key_kid_2", None, kid="kid-2")  # filled below with the RSA account key
    add("wrong_hmac_key", eab("HS256", os.urandom(32), header(), account), "unauthorized")
    add("mac_of_another_kid", eab("HS256", mac_keys["kid-2"], header(), account), "unauthorized")
    add("url_of_another_resource", eab("HS256", k1, header(url=URL.replace("new-account", "new-order")), account),
        "malformed")
    add("url_missing", eab("HS256", k1, {"alg": "HS256", "kid": "kid-1"}, account), "malformed")
    add("kid_unknown", eab("HS256", k1, header(kid="kid-9"), account), "unauthorized")
    add("kid_missing", eab("HS256", k1, {"alg": "HS256", "url": URL}, account), "malformed")
    add("payload_is_another_key", eab("HS256", k1, header(), jwk_of(other)), "unauthorized")
    add("payload_not_a_jwk", eab("HS256", k1, header(), {"termsOfServiceAgreed": True}), "malformed")
    add("alg_none", eab("none", k1, header("none"), account, lambda j: j.update(signature="")), "malformed")
    rs = keys["RS256"]
    rs_binding = eab("HS256", k1, header("RS256"), account)
    rs_binding["signature"] = b64(rs.sign((rs_binding["protected"] + "." + rs_binding["payload"]).encode(),
                                         padding.PKCS1v15(), hashes.SHA256()))
    add("alg_rs256", rs_binding, "malformed")
    add("alg_es256", eab("HS256", k1, header("ES256"), account), "malformed")
    add("nonce_present", eab("HS256", k1, header(nonce=NONCE), account), "malformed")
    add("payload_changed_after_mac", eab("HS256", k1, header(), account,
                                         lambda j: j.update(payload=b64(json.dumps(jwk_of(other)).encode()))),
        "unauthorized")
    add("mac_truncated", eab("HS256", k1, header(), account, lambda j: j.update(
        signature=b64(base64.urlsafe_b64decode(j["signature"] + "=")[:16]))), "unauthorized")
    add("unprotected_header", eab("HS256", k1, header(), account, lambda j: j.update(header={"kid": "kid-1"})),
        "malformed")
    add("padded_base64", eab("HS256", k1, header(), account, lambda j: j.update(signature=j["signature"] + "=")),
        "malformed")
    add("not_an_object", "a.b.c", "malformed")
    rsa_account = jwk_of(rs)
    cases[3]["binding"] = eab("HS512", mac_keys["kid-2"], header("HS512", "kid-2"), rsa_account)
    cases[3]["account_jwk"] = rsa_account
    with open(os.path.join(out, "eab_vectors.json"), "w") as f:
        json.dump({"keys_file": keys_file, "url": URL, "account_jwk": account, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
