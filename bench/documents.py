"""Document storage benchmark: memory and time of large transfers, as the portal ships them.

    python bench/documents.py [--sizes 50 200] [--zip-mb 200] [--malloc shipped|glibc] [--wrapper]

Starts moto_server on a free loopback port and measures, with the configuration production runs:

1. **Storage** (each size in a fresh Python process, so that its figures belong to it alone): a
   file of that size stored through django-storages' S3Storage with the portal's own options
   (``settings.S3_STORAGE_OPTIONS``: multipart transfer configuration, spooling limit), then read
   back chunk by chunk the way the ZIP view does (``storage.open`` spools the object to a
   temporary file, then ``chunks()``). One process does both, like a web worker over its life, so
   what the upload leaves resident counts against the download.
2. **A gunicorn worker** (``--zip-mb``, 0 to skip): ``gunicorn -c deploy/gunicorn.conf.py
   portal.wsgi`` with one worker, on a throw-away SQLite database, serving a welcome-packet ZIP
   with one document of that size on S3 (moto), the one download that passes through a web node;
   every other download is a 302 to a presigned link. The ZIP is fetched twice (the second is a
   worker's steady state); the worker's VmRSS and VmHWM are read from /proc before and after.
   ``--wrapper`` starts gunicorn through deploy/web instead.

``--malloc shipped`` (the default) runs the storage processes with the allocator settings that
deploy/gunicorn.conf.py gives the web workers: the file is loaded the way gunicorn loads it, which
calls ``mallopt`` (glibc arena limit and fixed mmap threshold). ``--malloc glibc`` leaves glibc's
defaults, for comparison (the gunicorn part then runs with ``GUNICORN_MALLOC_TUNING=off``).

Baseline is the resident set just before the transfer, after Django, the S3 client and the bucket
are set up; peak is the highest resident set during the transfer (VmHWM, reset before each one);
after is what stays resident. Python peak is tracemalloc's (Python allocations only). Peak memory
must not grow with file size. Exits 0; it asserts nothing about time.
"""

import argparse
import base64
import gc
import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
MB = 1024 * 1024


def proc_status(pid: int | str = "self") -> dict[str, float]:
    """VmRSS and VmHWM (peak resident set) of a process, in MB."""
    figures = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                figures[key] = int(value.split()[0]) / 1024
    return figures


def peak_reset(pid: int | str = "self") -> bool:
    """Restart a process's VmHWM from its current resident set (Linux 4.0+)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def gunicorn_config_load() -> ModuleType:
    """Run deploy/gunicorn.conf.py as gunicorn does (as a module from its file), which applies its
    malloc settings to this process."""
    spec = importlib.util.spec_from_file_location("__config__", GUNICORN_CONFIG)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {GUNICORN_CONFIG}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def portal_environment() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # Throwaway keys: the portal refuses its public development keys unless DEBUG is on.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())


def one_size(size_mb: int, endpoint: str, malloc: str) -> None:
    """Runs in its own process: upload then download ``size_mb`` MB, print their figures."""
    if malloc == "shipped":
        config = gunicorn_config_load()
        if not config.MALLOC_TUNED:
            print("      (deploy/gunicorn.conf.py could not tune malloc here: glibc defaults)")
    portal_environment()
    import django

    django.setup()
    from django.conf import settings
    from django.core.files import File
    from storages.backends.s3 import S3Storage

    from tests.s3_servers import ACCESS_KEY, REGION, SECRET_KEY

    bucket = f"bench-{size_mb}-{os.getpid()}"
    storage = S3Storage(
        **{
            **settings.S3_STORAGE_OPTIONS,
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": REGION,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "addressing_style": "path",
        }
    )
    storage.connection.meta.client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source.bin"
        block = os.urandom(MB)
        with source.open("wb") as out:
            for _ in range(size_mb):
                out.write(block)
        del block
        gc.collect()
        baseline = proc_status()["VmRSS"]

        def measure(direction: str, transfer: object) -> None:
            reset = peak_reset()
            tracemalloc.start()
            started = time.perf_counter()
            transfer()  # type: ignore[operator]
            seconds = time.perf_counter() - started
            _, python_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            status = proc_status()
            peak = status["VmHWM"]
            print(
                f"{size_mb:>5} MB {direction:<8} {seconds:6.2f} s {size_mb / seconds:6.1f} MB/s | "
                f"Python peak {python_peak / MB:5.1f} MB | RSS baseline {baseline:6.1f} MB, "
                f"peak {peak:6.1f} MB (+{peak - baseline:5.1f}), "
                f"after {status['VmRSS']:6.1f} MB (+{status['VmRSS'] - baseline:5.1f})"
                + ("" if reset else " [peak since process start]"),
                flush=True,
            )

        names = []

        def upload() -> None:
            with source.open("rb") as handle:
                names.append(storage.save(f"documents/bench/{secrets.token_hex(16)}", File(handle)))

        received = []

        def download() -> None:
            with storage.open(names[0], "rb") as stored:
                received.append(sum(len(chunk) for chunk in stored.chunks(MB)))

        measure("upload", upload)
        measure("download", download)
        storage.delete(names[0])
    if received != [size_mb * MB]:
        raise SystemExit(f"read back {received} bytes of {size_mb * MB}")


def describe_configuration(malloc: str) -> None:
    portal_environment()
    import django

    django.setup()
    from django.conf import settings

    options: dict[str, Any] = settings.S3_STORAGE_OPTIONS
    transfer = options["transfer_config"]
    print(
        "Storage: S3Storage with settings.S3_STORAGE_OPTIONS: "
        f"{transfer.multipart_chunksize // MB} MB parts, "
        f"max_concurrency {transfer.max_concurrency}, "
        f"{transfer.max_in_memory_upload_chunks} upload parts in memory, "
        f"io queue {transfer.max_io_queue} x {transfer.io_chunksize // 1024} KB, "
        f"reads spooled to disk beyond {options['max_memory_size'] // MB} MB"
    )
    if malloc == "shipped":
        config = gunicorn_config_load()
        print(
            "Allocator: deploy/gunicorn.conf.py's, as its workers get it: "
            + (
                f"mallopt M_ARENA_MAX={config.MALLOC_ARENA_MAX}, "
                f"M_MMAP_THRESHOLD={config.MALLOC_MMAP_THRESHOLD // 1024} KB"
                if config.MALLOC_TUNED
                else "NOT applied (not glibc?)"
            )
        )
    else:
        print("Allocator: glibc defaults (--malloc glibc), NOT what production runs")


def zip_seed(size_mb: int) -> None:
    """Runs in the portal's environment (a fresh SQLite database, documents on moto): an active
    provider with a welcome packet holding one document of ``size_mb`` MB; prints the delivery,
    the session cookie's name and a signed-in session of the provider's official."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files import File
    from django.core.files.storage import storages

    from documents.models import WelcomePacket, WelcomePacketItem
    from documents.services import packet_deliver, packet_publish
    from onboarding.models import Application
    from onboarding.services.applications import application_start
    from onboarding.services.organizations import organization_create
    from portal.models import User

    storage: Any = storages["default"]
    storage.connection.meta.client.create_bucket(
        Bucket=storage.bucket_name,
        CreateBucketConfiguration={"LocationConstraint": storage.region_name},
    )
    user = User.objects.create_user(email="bench@example.org", password=secrets.token_urlsafe())
    organization = organization_create(
        user=user, legal_name="Bench Community Services", title="Executive Director"
    )
    application = application_start(organization=organization, user=user)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.ACTIVE)
    application.refresh_from_db()
    packet = WelcomePacket.objects.create(version=1, title="Bench packet")
    with tempfile.TemporaryFile() as big:
        block = os.urandom(MB)  # deflate's window is 32 KB: a repeated 1 MB block stays big
        for _ in range(size_mb):
            big.write(block)
        big.seek(0)
        item = WelcomePacketItem(
            packet=packet,
            title="Provider manual",
            original_name="manual.pdf",
            content_type="application/pdf",
            size=size_mb * MB,
            sha256="0" * 64,
        )
        item.file.save("manual.pdf", File(big), save=False)
        item.save()
    packet_publish(packet=packet)
    delivery = packet_deliver(application=application)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(delivery.pk, settings.SESSION_COOKIE_NAME, session.session_key)


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def zip_through_gunicorn(size_mb: int, endpoint: str, malloc: str, wrapper: bool) -> None:
    from tests.s3_servers import ACCESS_KEY, REGION, SECRET_KEY, free_port

    folder = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "true",  # behind a TLS-terminating proxy, as in production
        "EMAIL_URL": "dummymail://",
        "USE_S3": "true",
        "AWS_STORAGE_BUCKET_NAME": f"bench-zip-{os.getpid()}",
        "AWS_S3_REGION_NAME": REGION,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_S3_ADDRESSING_STYLE": "path",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    if malloc == "glibc":
        environment["GUNICORN_MALLOC_TUNING"] = "off"
    python = sys.executable
    server = None
    try:
        subprocess.run(
            [python, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=environment,
            check=True,
        )
        seeded = subprocess.run(
            [python, __file__, "--zip-seed", str(size_mb)],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        delivery, cookie_name, session_key = seeded[-3:]
        command = (
            [str(ROOT / "deploy" / "web")]
            if wrapper
            else [str(Path(python).parent / "gunicorn"), "-c", str(GUNICORN_CONFIG), "portal.wsgi"]
        )
        log = (folder / "gunicorn.log").open("wb")
        server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)
        host = f"http://127.0.0.1:{port}"
        headers = {"Cookie": f"{cookie_name}={session_key}", "X-Forwarded-Proto": "https"}

        def get(path: str) -> int:
            request = urllib.request.Request(host + path, headers=headers)  # noqa: S310
            total = 0
            with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
                while chunk := response.read(MB):
                    total += len(chunk)
            return total

        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"/documents/packets/{delivery}/")  # also loads the views in the worker
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        (worker,) = worker_pids(server.pid)
        get(f"/documents/packets/{delivery}/")
        for attempt in ("first", "second"):
            before = proc_status(worker)
            reset = peak_reset(worker)
            started = time.perf_counter()
            size = get(f"/documents/packets/{delivery}/zip/")
            seconds = time.perf_counter() - started
            if size < size_mb * MB:
                raise SystemExit(f"the ZIP has {size} bytes: not signed in? See {folder}")
            after = proc_status(worker)
            peak = after["VmHWM"]
            print(
                f"ZIP {size / MB:6.1f} MB, {attempt} download, {seconds:6.2f} s "
                f"{size / MB / seconds:6.1f} MB/s | worker RSS before {before['VmRSS']:6.1f} MB, "
                f"peak {peak:6.1f} MB (+{peak - before['VmRSS']:5.1f}), "
                f"after {after['VmRSS']:6.1f} MB (+{after['VmRSS'] - before['VmRSS']:5.1f})"
                + ("" if reset else f" [peak since worker start; before {before['VmHWM']:.1f}]"),
                flush=True,
            )
        shutil.rmtree(folder, ignore_errors=True)  # kept when something failed, for its log
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--zip-mb", type=int, default=200, help="0 skips the gunicorn part")
    parser.add_argument("--malloc", choices=["shipped", "glibc"], default="shipped")
    parser.add_argument(
        "--wrapper", action="store_true", help="start gunicorn through deploy/web (the ZIP part)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--zip-seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--describe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        one_size(arguments.one, arguments.endpoint, arguments.malloc)
        return
    if arguments.zip_seed:
        zip_seed(arguments.zip_seed)
        return
    if arguments.describe:
        describe_configuration(arguments.malloc)
        return
    from tests.s3_servers import moto_binary, moto_server

    if moto_binary() is None:
        print("moto_server is not installed: pip install -r requirements/dev.txt")
        return
    print("Documents through the portal's S3 storage against moto_server on loopback")
    subprocess.run(
        [sys.executable, __file__, "--describe", "--malloc", arguments.malloc], check=True, cwd=ROOT
    )
    with moto_server() as server:
        for size in arguments.sizes:
            child = ["--one", str(size), "--malloc", arguments.malloc]
            child += ["--endpoint", server.endpoint_url]
            subprocess.run([sys.executable, __file__, *child], check=True, cwd=ROOT)
        if arguments.zip_mb:
            command = "gunicorn -c deploy/gunicorn.conf.py portal.wsgi"
            if arguments.wrapper:
                command = "deploy/web"
            print(
                f"Welcome-packet ZIP through one gunicorn worker ({command}, "
                + (
                    "malloc tuning as shipped"
                    if arguments.malloc == "shipped"
                    else "GUNICORN_MALLOC_TUNING=off: deploy/web's environment only"
                    if arguments.wrapper
                    else "GUNICORN_MALLOC_TUNING=off: glibc defaults"
                )
                + ")"
            )
            zip_through_gunicorn(
                arguments.zip_mb, server.endpoint_url, arguments.malloc, arguments.wrapper
            )


if __name__ == "__main__":
    main()
