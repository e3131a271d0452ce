"""`topmock record` against an upstream behind TLS: the conformance topmock (TOPMOCK_URL) behind a
TLS terminator with a test CA made here (openssl), driven by taobaopy. With --ca-file the recording
works and replays; without it, TLS verification refuses the upstream (502, no recording of it)."""
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse

import jsonschema
import pytest
import yaml
from taobaopy.taobao import TaoBaoAPIClient

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
URL = os.environ["TOPMOCK_URL"]
BINARY = os.environ.get("TOPMOCK_BIN")
UPSTREAM = urllib.parse.urlparse(URL)

assert BINARY, "TOPMOCK_BIN must name the topmock binary (Tests/Conformance/run sets it)"
assert shutil.which("openssl"), "the TLS test makes its CA with the openssl command (apt-get install openssl)"


def make_ca(folder):
    """A CA and a certificate for 127.0.0.1 signed by it, valid one day."""
    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=topmock test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    with open(os.path.join(folder, "san.ext"), "w") as file:
        file.write("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
            "-days", "1", "-extfile", "san.ext")


class TLSTerminator:
    """Accepts TLS on a loopback port and relays each connection's bytes to the upstream."""

    def __init__(self, folder):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(os.path.join(folder, "server.pem"), os.path.join(folder, "server.key"))
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.relay, args=(client,), daemon=True).start()

    def relay(self, client):
        try:
            secure = self.context.wrap_socket(client, server_side=True)
        except (ssl.SSLError, OSError):
            client.close()  # a client that does not trust the CA gives up during the handshake
            return
        upstream = socket.create_connection((UPSTREAM.hostname, UPSTREAM.port))

        def pump(source, sink):
            try:
                while data := source.recv(65536):
                    sink.sendall(data)
            except OSError:
                pass
            finally:
                for end in (source, sink):
                    try:
                        end.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        threading.Thread(target=pump, args=(upstream, secure), daemon=True).start()
        pump(secure, upstream)

    def close(self):
        self.listener.close()


def record(folder, terminator, ca_file):
    """A started `topmock record` against the terminator; (process, port, output path)."""
    port_file, output = os.path.join(folder, "port"), os.path.join(folder, "recorded.yaml")
    if os.path.exists(port_file):
        os.remove(port_file)
    arguments = [BINARY, "record", "--upstream", f"https://127.0.0.1:{terminator.port}/router/rest", "--upstream-app-key", "12345678",
                 "--port", "0", "--port-file", port_file, "--output", output, "--app", "pos-local:local-secret", "--no-default-app"]
    if ca_file:
        arguments += ["--ca-file", ca_file]
    process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TOPMOCK_UPSTREAM_SECRET": "helloworld"})
    for _ in range(200):
        if os.path.exists(port_file) and open(port_file).read().strip():
            break
        time.sleep(0.02)
    return process, int(open(port_file).read()), output


def query(port, request_id):
    client = TaoBaoAPIClient("pos-local", "local-secret", domain=f"http://127.0.0.1:{port}", retry_count=1)
    return client.alibaba__pos_pay_action_query(shop_id=124, payment_action_request=json.dumps({"request_id": request_id, "buyer_id": 123}))


def test_record_through_tls_with_a_private_ca_then_replay():
    folder = tempfile.mkdtemp(prefix="topmock-tls-")
    terminator = None
    try:
        make_ca(folder)
        terminator = TLSTerminator(folder)
        process, port, output = record(folder, terminator, os.path.join(folder, "ca.pem"))
        try:
            answers = [query(port, "cash-0001")["alibaba_pos_pay_action_query_response"]["result"]["model"]["action_status"]]
        finally:
            process.send_signal(signal.SIGTERM)
            stderr = process.communicate(timeout=10)[1]
        assert answers == ["SUCCESS"]
        assert process.returncode == 0 and "recorded 1 calls" in stderr, stderr
        recording = open(output).read()
        assert "cash-0001" in recording and "helloworld" not in recording and "local-secret" not in recording
        assert "helloworld" not in stderr
        validated = subprocess.run([BINARY, "validate", output], capture_output=True, text=True)
        assert validated.returncode == 0, validated.stdout + validated.stderr
        with open(os.path.join(ROOT, "schema", "scenario.schema.json"), encoding="utf-8") as schema:
            jsonschema.validate(yaml.safe_load(recording), json.load(schema))

        # Without the CA, verification refuses the terminator's certificate: a 502 naming it.
        process, port, _ = record(folder, terminator, None)
        try:
            with pytest.raises(Exception) as refused:
                query(port, "cash-0001")
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=10)
        assert "502" in str(refused.value), repr(refused.value)
    finally:
        if terminator:
            terminator.close()
        shutil.rmtree(folder, ignore_errors=True)
