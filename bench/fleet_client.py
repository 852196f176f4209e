#!/usr/bin/python3
"""Simulated fleet for bench/run_fleet_capacity_bench.sh (issue 14): node identities, check-ins, long-polls.

Debian's python3 only (ssl, threads, selectors; python3-cryptography for keys). Every mode is bounded in
count or time and talks to 127.0.0.1.

  fleet_client.py enroll URL ROOT DIR N [THREADS]
      makes N node identities: a P-256 key and CSR per node (CN=nNNNNN.nodes.bench.test), sent to
      POST /v1/requests (autosigned by the server's glob) over THREADS keep-alive connections; writes
      DIR/nNNNNN.pem (key, then certificate). Prints identities/s.
  fleet_client.py checkin URL ROOT DIR N CONNS SECONDS keepalive|fresh
      keepalive: CONNS connections, connection i authenticated as node i, each sending POST /v1/checkin
                 back to back for SECONDS.
      fresh:     CONNS workers share nodes 0..N-1; each node checks in once on a new mTLS connection
                 (handshake, POST, the server closes): N check-ins in all, or SECONDS, whichever first.
      Prints one JSON line: check-ins, seconds, rate, p50/p99 ms, errors, client CPU seconds.
  fleet_client.py hold URL ROOT DIR N SECONDS STATUS_FILE
      opens N mTLS connections, node i on connection i, each holding GET /v1/actions?wait=60; re-polls
      each one when the server answers (as an agent does) until SIGTERM or SECONDS; writes
      "held N" to STATUS_FILE once all are open, and a JSON summary to stdout at the end.
"""
import json
import os
import resource
import selectors
import signal
import socket
import ssl
import sys
import threading
import time

HOST = "127.0.0.1"


def node_name(i):
    return f"n{i:05d}.nodes.bench.test"


def context_for(root, pem=None):
    context = ssl.create_default_context(cafile=root)
    context.check_hostname = False  # the server's certificate names "localhost" and 127.0.0.1 alike
    if pem is not None:
        context.load_cert_chain(pem)
    return context


def port_of(url):
    return int(url.rsplit(":", 1)[1].strip("/"))


class Exchange:
    """One TLS connection speaking HTTP/1.1 with keep-alive: sends a request, reads one whole answer."""

    def __init__(self, port, context):
        sock = socket.create_connection((HOST, port), timeout=30)
        self.tls = context.wrap_socket(sock, server_hostname="localhost")
        self.pending = b""

    def ask(self, request):
        self.tls.sendall(request)
        return self.answer()

    def answer(self):
        data = self.pending
        while b"\r\n\r\n" not in data:
            chunk = self.tls.recv(65536)
            if not chunk:
                raise ConnectionError("closed by the server")
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            chunk = self.tls.recv(65536)
            if not chunk:
                raise ConnectionError("closed by the server")
            rest += chunk
        self.pending = rest[length:]
        return status, rest[:length]

    def close(self):
        try:
            self.tls.close()
        except OSError:
            pass


def post(path, body, close=False):
    return (f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{'Connection: close' + chr(13) + chr(10) if close else ''}\r\n"
            ).encode() + body


def checkin_body(i):
    return json.dumps({"agent_version": "0.1.0", "certificates": [{
        "name": "node", "serial": f"{i:032x}", "not_after": "2027-12-01T00:00:00Z", "state": "monitoring",
        "targets": [{"path": "/etc/ssl/node/cert.pem", "sha256": f"{i:064x}"}]}]}).encode()


def percentile(values, share):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def enroll(url, root, directory, count, threads):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    os.makedirs(directory, exist_ok=True)
    port, context, failures = port_of(url), context_for(root), []

    def worker(first):
        exchange = Exchange(port, context)
        for i in range(first, count, threads):
            key = ec.generate_private_key(ec.SECP256R1())
            name = node_name(i)
            csr = (x509.CertificateSigningRequestBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
                   .sign(key, hashes.SHA256()))
            body = json.dumps({"csr_pem": csr.public_bytes(serialization.Encoding.PEM).decode()}).encode()
            status, answer = exchange.ask(post("/v1/requests", body))
            if status != 201:
                failures.append(f"{name}: {status} {answer[:200]!r}")
                return
            certificate = json.loads(answer)["certificate"]["certificate_pem"]
            key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
            with open(os.path.join(directory, f"n{i:05d}.pem"), "w") as f:
                f.write(key_pem + certificate)
        exchange.close()

    started = time.monotonic()
    workers = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    if failures:
        sys.exit("enrollment failed: " + failures[0])
    print(json.dumps({"identities": count, "seconds": round(elapsed, 2), "rate": round(count / elapsed, 1)}))


def checkin(url, root, directory, count, conns, seconds, mode):
    port = port_of(url)
    latencies, errors, lock = [], [], threading.Lock()
    deadline = time.monotonic() + seconds
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)

    def keepalive_worker(i):
        mine = []
        exchange = Exchange(port, context_for(root, os.path.join(directory, f"n{i:05d}.pem")))
        request = post("/v1/checkin", checkin_body(i))
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            status, answer = exchange.ask(request)
            mine.append(time.perf_counter() - t0)
            if status != 204:
                errors.append(f"{status} {answer[:200]!r}")
                break
        exchange.close()
        with lock:
            latencies.extend(mine)

    def fresh_worker(first):
        mine = []
        for i in range(first, count, conns):
            if time.monotonic() >= deadline:
                break
            context = context_for(root, os.path.join(directory, f"n{i:05d}.pem"))
            t0 = time.perf_counter()
            try:
                exchange = Exchange(port, context)
                status, answer = exchange.ask(post("/v1/checkin", checkin_body(i), close=True))
                exchange.close()
            except OSError as e:
                errors.append(f"node {i}: {e}")
                continue
            mine.append(time.perf_counter() - t0)
            if status != 204:
                errors.append(f"{status} {answer[:200]!r}")
        with lock:
            latencies.extend(mine)

    target = keepalive_worker if mode == "keepalive" else fresh_worker
    started = time.monotonic()
    workers = [threading.Thread(target=target, args=(t,)) for t in range(conns)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    print(json.dumps({"mode": mode, "conns": conns, "checkins": len(latencies), "seconds": round(elapsed, 2),
                      "rate": round(len(latencies) / elapsed, 1),
                      "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
                      "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
                      "errors": len(errors), "first_error": errors[0] if errors else "",
                      "client_cpu_s": round(cpu, 2)}))


POLL = b"GET /v1/actions?wait=60 HTTP/1.1\r\nHost: localhost\r\n\r\n"


class HeldPoll:
    """A node's connection holding the actions long-poll; re-polls whenever the server answers."""

    def __init__(self, port, context):
        self.exchange = Exchange(port, context)
        self.exchange.tls.sendall(POLL)
        self.exchange.tls.setblocking(False)
        self.data = b""

    def readable(self):
        """Reads what arrived; re-polls after each whole answer. Returns the number of answers."""
        answers = 0
        while True:
            try:
                chunk = self.exchange.tls.recv(65536)
            except (ssl.SSLWantReadError, BlockingIOError):
                return answers
            if not chunk:
                raise ConnectionError("closed by the server")
            self.data += chunk
            while b"\r\n\r\n" in self.data:
                head, _, rest = self.data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if len(rest) < length:
                    break
                self.data = rest[length:]
                answers += 1
                self.exchange.tls.setblocking(True)  # a 60-byte request: sent at once
                self.exchange.tls.sendall(POLL)
                self.exchange.tls.setblocking(False)


def hold(url, root, directory, count, seconds, status_file):
    port = port_of(url)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    selector = selectors.DefaultSelector()
    answers, lost, errors = 0, 0, []
    deadline = time.monotonic() + seconds

    def service(timeout):
        nonlocal answers, lost
        for key, _ in selector.select(timeout):
            try:
                answers += key.data.readable()
            except OSError as e:
                lost += 1
                errors.append(str(e))
                selector.unregister(key.fileobj)
                key.data.exchange.close()

    started = time.monotonic()
    for i in range(count):
        if stop.is_set() or time.monotonic() >= deadline:
            break
        try:
            poll = HeldPoll(port, context_for(root, os.path.join(directory, f"n{i:05d}.pem")))
        except OSError as e:
            errors.append(f"node {i}: {e}")
            continue
        selector.register(poll.exchange.tls, selectors.EVENT_READ, poll)
        if i % 50 == 0:
            service(0)
    opened = len(selector.get_map())
    open_seconds = time.monotonic() - started
    with open(status_file, "w") as f:
        f.write(f"held {opened}\n")
    while not stop.is_set() and time.monotonic() < deadline:
        service(0.2)
    print(json.dumps({"opened": opened, "open_seconds": round(open_seconds, 1), "still_held": len(selector.get_map()),
                      "answers_repolled": answers, "lost": lost, "errors": len(errors),
                      "first_error": errors[0] if errors else ""}))


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "enroll":
        enroll(args[0], args[1], args[2], int(args[3]), int(args[4]) if len(args) > 4 else 8)
    elif mode == "checkin":
        checkin(args[0], args[1], args[2], int(args[3]), int(args[4]), float(args[5]), args[6])
    elif mode == "hold":
        hold(args[0], args[1], args[2], int(args[3]), float(args[4]), args[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
