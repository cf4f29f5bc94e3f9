"""deploy/gunicorn.conf.py, the production web server's settings, as gunicorn itself reads them.

The file is only ever loaded in a child process: loading it changes the allocator of the process
that loads it (that is its job), and its settings come from the environment at load time.
"""

import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).parent / "gunicorn"
SHARED_MEMORY = Path("/dev") / "shm"
OUR_VARIABLES = (
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_MALLOC_TUNING",
    "GUNICORN_CONTROL_SOCKET",
    "MALLOC_ARENA_MAX",
    "MALLOC_MMAP_THRESHOLD_",
)


def environment(**variables: str) -> dict[str, str]:
    clean = {key: value for key, value in os.environ.items() if key not in OUR_VARIABLES}
    return {**clean, **variables}


@cache
def printed_config(**variables: str) -> dict[str, str]:
    """``gunicorn -c deploy/gunicorn.conf.py --print-config``: every setting as gunicorn took it."""
    output = subprocess.run(  # noqa: S603 - our own gunicorn and config
        [str(GUNICORN), "-c", str(CONFIG), "--print-config", "portal.wsgi"],
        cwd=ROOT,
        env=environment(**variables),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    settings = {}
    for line in output.splitlines():
        name, separator, value = line.partition(" = ")
        if separator:
            settings[name.strip()] = value.strip()
    return settings


def in_loaded_config(code: str, **variables: str) -> Any:
    """Runs ``code`` (which sets ``result``) in a fresh interpreter that has loaded the config the
    way gunicorn does, as ``config``; returns ``result`` (through JSON)."""
    script = (
        "import importlib.util, json, os, sys\n"
        f"spec = importlib.util.spec_from_file_location('__config__', {str(CONFIG)!r})\n"
        "config = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(config)\n"
        f"{code}\n"
        "print(json.dumps(result))\n"
    )
    output = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment(**variables),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(output.splitlines()[-1])


def test_bind_and_workers_come_from_the_environment():
    settings = printed_config(
        GUNICORN_BIND="0.0.0.0:9000,unix:/run/portal.sock", WEB_CONCURRENCY="3"
    )

    assert settings["bind"] == "['0.0.0.0:9000', 'unix:/run/portal.sock']"
    assert settings["workers"] == "3"


def test_defaults_listen_on_loopback_with_two_workers_a_core_plus_one():
    settings = printed_config()

    assert settings["bind"] == "['127.0.0.1:8000']"
    assert settings["workers"] == str(2 * len(os.sched_getaffinity(0)) + 1)
    assert settings["worker_class"] == "gthread"
    assert int(settings["threads"]) > 1
    # Recycled workers, keep-alive longer than a balancer's 60 s idle timeout, no control socket.
    assert int(settings["max_requests"]) > 0
    assert int(settings["max_requests_jitter"]) > 0
    assert int(settings["keepalive"]) > 60
    assert settings["control_socket_disable"] == "True"
    assert settings["accesslog"] == "-"
    if SHARED_MEMORY.is_dir():
        assert settings["worker_tmp_dir"] == str(SHARED_MEMORY)


def test_access_log_has_no_client_address_user_agent_referer_or_query_string():
    log_format = printed_config()["access_log_format"]

    atoms = set(re.findall(r"%\((.*?)\)s", log_format))
    assert atoms, log_format
    assert "U" in atoms  # the path, which the logger redacts
    assert not atoms & {"h", "u", "r", "q", "f", "a"}
    assert not [atom for atom in atoms if atom.startswith("{")]  # no header or environ values


def test_access_log_redacts_tokens_and_practitioner_numbers_in_paths():
    code = """
from datetime import timedelta
from types import SimpleNamespace
from gunicorn.config import Config
logger = config.PortalLogger(Config())
response = SimpleNamespace(status="200 OK", sent=10, headers=[])
request = SimpleNamespace(headers=[])
paths = [
    "/invitations/4f2b9c-secret/", "/handover/abcdef/", "/accounts/confirm-email/Mg:1tAbc/",
    "/accounts/password/reset/key/1a-set-password/", "/accounts/password/reset/key/done/",
    "/api/v1/applications/by-npi/1234567893", "/applications/12/entity/",
]
result = []
for path in paths:
    query = "email=a@b.example"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"{path}?{query}", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": path, "QUERY_STRING": query}
    line = config.access_log_format % logger.atoms(response, request, environ, timedelta(0))
    result.append(line.split('"')[1])
"""
    lines = in_loaded_config(code)

    assert lines == [
        "GET /invitations/…/ HTTP/1.1",
        "GET /handover/…/ HTTP/1.1",
        "GET /accounts/confirm-email/…/ HTTP/1.1",
        "GET /accounts/password/reset/key/…/ HTTP/1.1",
        "GET /accounts/password/reset/key/done/ HTTP/1.1",
        "GET /api/v1/applications/by-npi/… HTTP/1.1",
        "GET /applications/12/entity/ HTTP/1.1",
    ]


def malloc_arenas_with_eight_threads() -> str:
    """Python code: eight threads allocate at once; ``result`` is the number of malloc arenas
    glibc then reports (malloc_stats prints one "Arena N:" block per arena to stderr)."""
    return """
import ctypes, threading
libc = ctypes.CDLL("libc.so.6")
barrier = threading.Barrier(9)
def allocate():
    keep = [bytearray(200_000) for _ in range(4)]
    barrier.wait()
    barrier.wait()
threads = [threading.Thread(target=allocate) for _ in range(8)]
for thread in threads:
    thread.start()
barrier.wait()
read_end, write_end = os.pipe()
saved = os.dup(2)
os.dup2(write_end, 2)
libc.malloc_stats()
os.dup2(saved, 2)
os.close(write_end)
report = os.read(read_end, 1 << 20).decode()
barrier.wait()
for thread in threads:
    thread.join()
result = [report.count("Arena "), config.MALLOC_TUNED, os.environ.get("MALLOC_ARENA_MAX")]
"""


def glibc() -> bool:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").gnu_get_libc_version  # noqa: B018 - present only in glibc
    except (OSError, AttributeError):
        return False
    return True


@pytest.mark.skipif(not glibc(), reason="malloc tuning is glibc's")
def test_loading_the_config_limits_malloc_arenas_for_the_process_and_its_workers():
    """The master loads the file before it forks any worker: from then on glibc keeps at most
    MALLOC_ARENA_MAX arenas, however many threads allocate (its default is 8 per core)."""
    arenas, tuned, variable = in_loaded_config(malloc_arenas_with_eight_threads())

    assert tuned is True
    assert arenas == 2
    assert variable == "2"  # and passed on to any program a worker starts


@pytest.mark.skipif(not glibc(), reason="malloc tuning is glibc's")
def test_malloc_tuning_can_be_turned_off():
    arenas, tuned, variable = in_loaded_config(
        malloc_arenas_with_eight_threads(), GUNICORN_MALLOC_TUNING="off"
    )

    assert tuned is False
    assert variable is None
    assert arenas > 2  # glibc's own default: one arena per thread here


FREED_BLOCKS_KEPT = """
def resident_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))
before = resident_mb()
for _ in range(3):
    part = bytearray(8 * 1024 * 1024)  # a multipart part's worth
    del part
result = resident_mb() - before
"""


@pytest.mark.skipif(not glibc(), reason="malloc tuning is glibc's")
def test_freed_transfer_sized_blocks_go_back_to_the_system():
    """glibc would raise its mmap threshold after the first 8 MB block is freed and keep the next
    ones resident; the config fixes the threshold so that they are unmapped when freed."""
    assert in_loaded_config(FREED_BLOCKS_KEPT) == 0
    assert in_loaded_config(FREED_BLOCKS_KEPT, GUNICORN_MALLOC_TUNING="off") >= 8


def test_wrapper_starts_gunicorn_with_this_config():
    output = subprocess.run(  # noqa: S603 - our own script
        [str(ROOT / "deploy" / "web"), "--print-config"],
        env=environment(GUNICORN_BIND="127.0.0.1:8123"),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout

    assert re.search(r"^bind\s+= \['127\.0\.0\.1:8123'\]$", output, re.MULTILINE)
    assert re.search(r"^worker_class\s+= gthread$", output, re.MULTILINE)
