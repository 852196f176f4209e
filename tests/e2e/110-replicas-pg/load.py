#!/usr/bin/env python3
"""Enrollment load on two replicas for e2e 110: COUNT CSRs (P-256, made by python3-cryptography) posted
to POST /v1/requests by CLIENTS threads, each with one keep-alive connection to each replica, alternating
between them; the server config autosigns *.load.test. Checks every answer is a 201 with a certificate for
the request's key, and prints one stable line: how many were issued, lost and duplicated.
Usage: load.py ROOT_PEM URL_A URL_B COUNT CLIENTS"""
import http.client
import json
import ssl
import sys
import threading
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_csr(index):
    key = ec.generate_private_key(ec.SECP256R1())
    name = f"l{index:05d}.load.test"
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
           .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
           .sign(key, hashes.SHA256()))
    spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return json.dumps({"csr_pem": csr.public_bytes(serialization.Encoding.PEM).decode()}), spki


def main():
    root, url_a, url_b, count, clients = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    context = ssl.create_default_context(cafile=root)
    context.check_hostname = False  # the replicas' certificates name 127.0.0.1 as an IP; the chain is checked
    requests = [make_csr(i) for i in range(count)]
    serials, failures = [], []
    lock = threading.Lock()

    def client(worker):
        connections = [http.client.HTTPSConnection(urllib.parse.urlsplit(u).netloc, context=context, timeout=60)
                       for u in (url_a, url_b)]
        for i in range(worker, count, clients):
            body, spki = requests[i]
            connection = connections[i % 2]
            try:
                connection.request("POST", "/v1/requests", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                answer = response.read()
                if response.status != 201:
                    raise RuntimeError(f"HTTP {response.status}: {answer[:200]!r}")
                issued = json.loads(answer)["certificate"]
                certificate = x509.load_pem_x509_certificate(issued["certificate_pem"].encode())
                mine = certificate.public_key().public_bytes(serialization.Encoding.DER,
                                                             serialization.PublicFormat.SubjectPublicKeyInfo)
                if mine != spki:
                    raise RuntimeError("the certificate is not for the request's key")
                with lock:
                    serials.append(certificate.serial_number)
            except Exception as e:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    failures.append(f"request {i}: {e}")

    threads = [threading.Thread(target=client, args=(w,)) for w in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for f in failures[:5]:
        print(f, file=sys.stderr)
    duplicates = len(serials) - len(set(serials))
    print(f"{count} enrollments from {clients} clients split between the replicas: {len(serials)} issued, "
          f"{count - len(serials)} lost, {duplicates} duplicate serials")
    with open("load-serials.txt", "w") as out:
        out.write("".join(f"{s:x}\n" for s in serials))
    sys.exit(0 if not failures and not duplicates else 1)


main()
