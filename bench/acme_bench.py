#!/usr/bin/env python3
"""ACME issuance throughput: full orders (newAccount, newOrder, authorization, http-01 challenge answered by
this script's own responder, finalize, certificate download) from N concurrent clients against one ACME
directory, for bench/run_acme_bench.sh (certfleet and pebble side by side).

Usage: acme_bench.py DIRECTORY_URL CA_PEM RESPONDER_PORT CLIENTS ORDERS [NAME]
Prints one JSON line: {"orders", "clients", "seconds", "orders_per_second", "p50_ms", "p95_ms", "failures"}.
Every client has its own account key (EC P-256, ES256) and reuses the last Replay-Nonce; order n is for
o<n>.NAME (NAME default bench.acme.test: a new name each time, so no server can reuse an authorization),
with a CSR made for it from one key."""
import base64
import hashlib
import http.server
import json
import statistics
import sys
import threading
import time

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.x509.oid import NameOID


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


KEY_AUTHORIZATIONS = {}  # token -> key authorization, filled by the clients before they answer a challenge


class Responder(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        token = self.path.rsplit("/", 1)[-1]
        body = KEY_AUTHORIZATIONS.get(token, "").encode()
        self.send_response(200 if body else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Client:
    def __init__(self, directory, ca):
        self.session = requests.Session()
        self.session.trust_env = False  # else $REQUESTS_CA_BUNDLE would replace `verify`
        self.session.verify = ca
        self.directory = self.session.get(directory, timeout=30).json()
        self.key = ec.generate_private_key(ec.SECP256R1())
        nums = self.key.public_key().public_numbers()
        self.jwk = {"crv": "P-256", "kty": "EC", "x": b64(nums.x.to_bytes(32, "big")),
                    "y": b64(nums.y.to_bytes(32, "big"))}
        canonical = json.dumps(self.jwk, sort_keys=True, separators=(",", ":")).encode()
        self.thumbprint = b64(hashlib.sha256(canonical).digest())
        self.nonce = None
        self.kid = None

    def post(self, url, payload, use_jwk=False):
        for _ in range(3):  # a badNonce answer carries a fresh nonce: retry with it, as certbot does
            if self.nonce is None:
                self.nonce = self.session.head(self.directory["newNonce"], timeout=30).headers["Replay-Nonce"]
            header = {"alg": "ES256", "nonce": self.nonce, "url": url}
            if use_jwk:
                header["jwk"] = self.jwk
            else:
                header["kid"] = self.kid
            protected = b64(json.dumps(header).encode())
            body = "" if payload is None else b64(json.dumps(payload).encode())
            der = self.key.sign((protected + "." + body).encode(), ec.ECDSA(hashes.SHA256()))
            r, s = utils.decode_dss_signature(der)
            signature = b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
            answer = self.session.post(url, data=json.dumps({"protected": protected, "payload": body,
                                                             "signature": signature}),
                                       headers={"Content-Type": "application/jose+json"}, timeout=60)
            self.nonce = answer.headers.get("Replay-Nonce")
            if answer.status_code == 400 and "badNonce" in answer.text:
                continue
            if answer.status_code >= 400:
                raise RuntimeError(f"{url}: HTTP {answer.status_code}: {answer.text[:300]}")
            return answer
        raise RuntimeError(f"{url}: badNonce three times")

    def poll(self, url, done, limit=30.0):
        """POST-as-GET `url` until done(body) (bounded: `limit` seconds)."""
        started = time.monotonic()
        while True:
            body = self.post(url, None).json()
            if done(body):
                return body
            if body.get("status") == "invalid" or time.monotonic() - started > limit:
                raise RuntimeError(f"{url}: {body}")
            time.sleep(0.02)

    def full_order(self, name, csr_key):
        csr = (x509.CertificateSigningRequestBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
               .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
               .sign(csr_key, hashes.SHA256()))
        csr_der = csr.public_bytes(serialization.Encoding.DER)
        answer = self.post(self.directory["newAccount"], {"termsOfServiceAgreed": True}, use_jwk=True)
        self.kid = answer.headers["Location"]
        answer = self.post(self.directory["newOrder"], {"identifiers": [{"type": "dns", "value": name}]})
        order_url = answer.headers["Location"]
        order = answer.json()
        for authz_url in order["authorizations"]:
            authz = self.post(authz_url, None).json()
            challenge = next(c for c in authz["challenges"] if c["type"] == "http-01")
            KEY_AUTHORIZATIONS[challenge["token"]] = challenge["token"] + "." + self.thumbprint
            self.post(challenge["url"], {})
            self.poll(authz_url, lambda b: b["status"] == "valid")
        self.poll(order_url, lambda b: b["status"] == "ready")
        self.post(order["finalize"], {"csr": b64(csr_der)})
        order = self.poll(order_url, lambda b: b["status"] == "valid")
        pem = self.post(order["certificate"], None).text
        if "BEGIN CERTIFICATE" not in pem:
            raise RuntimeError("no certificate in the download")


def main():
    directory, ca, port, clients, orders = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    name = sys.argv[6] if len(sys.argv) > 6 else "bench.acme.test"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Responder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    csr_key = ec.generate_private_key(ec.SECP256R1())
    workers = [Client(directory, ca) for _ in range(clients)]
    latencies, failures = [], []
    lock = threading.Lock()
    remaining = [orders]

    def work(client):
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
                n = remaining[0]
            started = time.monotonic()
            try:
                client.full_order(f"o{n}.{name}", csr_key)
                with lock:
                    latencies.append(time.monotonic() - started)
            except Exception as e:  # counted and reported; the run goes on
                with lock:
                    failures.append(str(e)[:200])

    workers[0].full_order(f"warmup.{name}", csr_key)  # warm-up (connections, first account), not counted
    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(c,)) for c in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    server.shutdown()
    latencies.sort()
    print(json.dumps({"orders": len(latencies), "clients": clients, "seconds": round(seconds, 3),
                      "orders_per_second": round(len(latencies) / seconds, 2),
                      "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
                      "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
                      "failures": len(failures), "first_failure": failures[0] if failures else None}))


main()
