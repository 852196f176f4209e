"""Raw clients for the serve scenario: what curl cannot do (hold a connection open half-sent, open and
drop many at once) and the reference Prometheus parser. Every wait is bounded."""
import socket
import ssl
import sys
import time


def tls_context(cafile):
    context = ssl.create_default_context(cafile=cafile)
    context.check_hostname = False
    return context


def slow_request(port, cafile, stall):
    """Sends half a request, then nothing: the server must close within its read timeout."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=15)
    tls = tls_context(cafile).wrap_socket(sock)
    tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    start = time.monotonic()
    try:
        data = tls.recv(4096)
    except (ssl.SSLError, OSError):
        data = b""
    elapsed = time.monotonic() - start
    assert data == b"", f"the server answered a half-sent request: {data!r}"
    assert elapsed < float(stall), f"the server held a stalled request {elapsed:.1f}s"
    print("slow request: closed by the server")


def silent_connection(port, stall):
    """Connects and never starts TLS: the handshake timeout frees it."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=15)
    start = time.monotonic()
    data = sock.recv(4096)
    elapsed = time.monotonic() - start
    assert data == b"" and elapsed < float(stall), f"silent connection held {elapsed:.1f}s"
    print("silent connection: closed by the server")


def open_and_drop(port, cafile, total):
    """Opens `total` connections in batches of 200 (plain TCP, finished handshakes, half requests) and drops them."""
    context = tls_context(cafile)
    done = 0
    while done < int(total):
        batch = []
        for i in range(200):
            sock = socket.create_connection(("127.0.0.1", port), timeout=15)
            if i % 3 == 1:
                sock = context.wrap_socket(sock)
            elif i % 3 == 2:
                sock = context.wrap_socket(sock)
                sock.sendall(b"GET /v1/ca HTTP/1.1\r\n")
            batch.append(sock)
        for sock in batch:
            sock.close()
        done += len(batch)
    print(f"opened and dropped {done} connections")


def parse_metrics(path):
    from prometheus_client.parser import text_string_to_metric_families

    families = {f.name: f for f in text_string_to_metric_families(open(path).read())}
    requests = families["certfleet_http_requests"]
    assert any(s.labels == {"route": "/healthz", "method": "GET", "status": "200"} and s.value >= 1
               for s in requests.samples), requests.samples
    assert any(s.labels.get("route") == "unmatched" and s.labels.get("status") == "404" for s in requests.samples)
    certificates = {s.labels["status"]: s.value for s in families["certfleet_certificates"].samples}
    assert certificates["valid"] >= 1 and certificates["revoked"] >= 1, certificates
    crl = [s.value for s in families["certfleet_crl_seconds_to_expiry"].samples]
    assert crl and crl[0] > 0, crl
    assert families["certfleet_issuance_duration_seconds"].type == "histogram"
    print("metrics: parsed by prometheus_client; " + ", ".join(sorted(families)))


if __name__ == "__main__":
    globals()[sys.argv[1]](*sys.argv[2:])
