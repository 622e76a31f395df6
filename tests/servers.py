"""Real servers for the scale-out tests: an S3-compatible store (moto in server mode)
and the portal under gunicorn, each a process of its own on a free 127.0.0.1 port."""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
S3_REGION = "us-east-1"
# moto accepts any keys; these name nothing real.
S3_KEYS = {"access_key": "testing", "secret_key": "testing"}


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def missing(what: str) -> None:
    """Skip a test whose service is not running here; in CI, where .ci/run starts them
    all, fail instead: a skipped test there is a missing test."""
    if in_ci():
        pytest.fail(what)
    pytest.skip(what)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, *, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def moto_s3_server():
    """Yield the endpoint URL of a fresh moto S3 server (its own process, so that the
    tests measuring memory see only the portal's side)."""
    for _attempt in range(3):
        port = free_port()  # another process may take it before moto binds: try again
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, process)
        except RuntimeError:
            continue
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)
        return
    raise RuntimeError("moto's S3 server did not start")


def s3_client(endpoint_url: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=S3_REGION,
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
    )


def new_bucket(endpoint_url: str) -> str:
    bucket = f"jhl-test-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint_url).create_bucket(Bucket=bucket)
    return bucket


def bucket_keys(endpoint_url: str, bucket: str) -> list[str]:
    listing = s3_client(endpoint_url).list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


def s3_environment(endpoint_url: str, bucket: str) -> dict[str, str]:
    """The portal's S3_* variables (README) for a bucket of the moto server."""
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint_url,
        "S3_REGION": S3_REGION,
        "S3_ACCESS_KEY_ID": S3_KEYS["access_key"],
        "S3_SECRET_ACCESS_KEY": S3_KEYS["secret_key"],
        "S3_ADDRESSING_STYLE": "path",
    }


class Gunicorn:
    """The portal under gunicorn with deploy/gunicorn.conf.py, on a port the OS picks."""

    def __init__(self, env: dict[str, str], log: Path):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "jhl_portal.wsgi"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": "127.0.0.1:0", "WEB_CONCURRENCY": "1"},
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        self.url = self._wait_for_address()

    def _wait_for_address(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", self.log.read_text())
            if found and "Booting worker" in self.log.read_text():
                return found.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        stop(self.process)
        raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        stop(self.process)
