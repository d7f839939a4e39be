"""A local AWS for running the pages' shell blocks: moto's server on 127.0.0.1, a recording proxy that any request bound for
another host reaches instead, the environment that points the AWS CLI, boto3 and the CDK CLI at both, and one
`bash -euo pipefail` session that runs blocks in order and reports, after each, the shell variables it set."""

from __future__ import annotations

import base64
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# aws-cdk-lib unpacked once per machine, like pip's and npm's caches (jsii's own default place; the lab's HOME is new)
JSII_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aws" / "jsii" / "package-cache"
BIN = Path(sys.executable).parent  # the virtualenv's bin/: aws (CLI v1), cfn-lint, moto_server, python3 with boto3
ACCOUNT_ID = "739462810573"  # the account moto plays: it appears nowhere on the site, so a hard-coded account fails
BLOCK_TIMEOUT = 600  # seconds one block may take (cdk synth starts Node and jsii; a loaded machine is slow)

# AWS CLI v1 sends `aws sqs` to <region>.queue.amazonaws.com whatever AWS_ENDPOINT_URL says (its overridesslcommonname
# customization; aws/aws-cli#8737); version 2 honours the variable. This plugin, loaded through the test's own AWS
# config file, makes version 1 honour it too, so the lab's commands run unchanged against the local AWS.
ENDPOINT_PLUGIN = '''"""AWS CLI v1 plugin for the tests: AWS_ENDPOINT_URL wins over the CLI's fixed SQS endpoints, as in CLI v2."""
import os


def _use_endpoint_variable(parsed_globals, **kwargs):
    if parsed_globals.endpoint_url is None and os.environ.get("AWS_ENDPOINT_URL"):
        parsed_globals.endpoint_url = os.environ["AWS_ENDPOINT_URL"]


def awscli_initialize(cli):
    cli.register_first("before-building-argument-table-parser", _use_endpoint_variable)
'''


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingProxy:
    """An HTTP(S) proxy on 127.0.0.1 that forwards nothing: it records each request (CONNECT host:port or URL) and refuses it."""

    def __init__(self):
        self.requests: list[str] = []
        recorded = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _refuse(self):
                recorded.append(f"{self.command} {self.path}")
                self.send_response(403, "the tests reach nothing but 127.0.0.1")
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_CONNECT = do_PATCH = do_OPTIONS = _refuse

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Moto:
    """moto's server (moto[server]) on 127.0.0.1, playing ACCOUNT_ID; its log goes to a file for failure messages."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, "MOTO_ACCOUNT_ID": ACCOUNT_ID}
        self.process = subprocess.Popen([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)], env=env,
                                        stdout=log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/", timeout=2):  # 127.0.0.1 only
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start: {log.read_text(encoding='utf-8')[-2000:]}") from None
                time.sleep(0.2)

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def environment(home: Path, moto: Moto, proxy: RecordingProxy) -> dict[str, str]:
    """The lab's environment: tools from the project (CLI v1, Python with boto3 and aws-cdk-lib, the pinned CDK CLI),
    the local AWS with dummy credentials and no default Region, every other host through the recording proxy, CDK
    notices and telemetry off, nothing read from the developer's own AWS or CDK settings."""
    home.mkdir(parents=True, exist_ok=True)
    plugins = home / "plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "lab_endpoint_plugin.py").write_text(ENDPOINT_PLUGIN, encoding="utf-8")
    (home / "aws-config").write_text("[plugins]\nlab_endpoint = lab_endpoint_plugin\n", encoding="utf-8")
    (home / "aws-credentials").write_text("", encoding="utf-8")
    (home / ".cdk.json").write_text('{"notices": false}\n', encoding="utf-8")  # the CDK CLI's user settings
    path = [str(BIN), str(ROOT / "node_modules" / ".bin"), os.path.dirname(shutil.which("node") or "/usr/bin/node"),
            "/usr/local/bin", "/usr/bin", "/bin"]
    return {
        "PATH": os.pathsep.join(dict.fromkeys(path)),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(plugins),
        "AWS_ENDPOINT_URL": moto.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(home / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        **dict.fromkeys(("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"), proxy.url),
        **dict.fromkeys(("NO_PROXY", "no_proxy"), "127.0.0.1"),
        "CDK_HOME": str(home / ".cdk"),  # the CDK CLI's caches (accounts, notices): not the user's ~/.cdk
        "CDK_DISABLE_CLI_TELEMETRY": "true",
        "CDK_DISABLE_VERSION_CHECK": "true",
        "JSII_RUNTIME_PACKAGE_CACHE_ROOT": str(JSII_CACHE),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
    }


@dataclass
class Session:
    """One `bash -euo pipefail` that runs blocks in order; after each it reports the values of the given variables."""

    cwd: Path
    env: dict[str, str]
    trace: Path  # every command as bash ran it, variables expanded (set -x, written to its own file)
    transcript: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.marker = f"@@block-done-{uuid.uuid4().hex}"
        self.process = subprocess.Popen(["bash", "-euo", "pipefail"], cwd=self.cwd, env=self.env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=1)
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.process.stdin.write(f"exec 9>'{self.trace}'\nBASH_XTRACEFD=9\nset -x\n")

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def run(self, code: str, variables: list[str]) -> dict[str, str]:
        """Runs one block's code (its stdin /dev/null) and returns the variables' values; fails with the transcript."""
        report = " ".join(f'"${{{name}-}}"' for name in variables)
        loop = f"for value in {report}; do printf ' v%s' \"$(printf %s \"$value\" | base64 -w0)\"; done; " if variables else ""
        script = f"{{\n{code}\n}} </dev/null\n{{ set +x; }} 2>/dev/null; printf '\\n{self.marker}'; {loop}echo; set -x\n"
        self.process.stdin.write(script)
        self.process.stdin.flush()
        deadline = time.monotonic() + BLOCK_TIMEOUT
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError("the block did not finish in time:\n" + self.tail()) from None
            if line is None:
                raise AssertionError(f"bash stopped (exit {self.process.wait()}) in this block:\n" + self.tail())
            if line.startswith(self.marker):
                values = [base64.b64decode(v[1:]).decode() for v in line[len(self.marker):].split()]
                return dict(zip(variables, values, strict=True))
            self.transcript.append(line.rstrip("\n"))

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.transcript[-lines:])

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)
