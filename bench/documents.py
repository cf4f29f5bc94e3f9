"""Document storage benchmark: upload and download through the portal's S3 storage on moto_server.

    python bench/documents.py [--sizes 50 200]

Starts moto_server on a free loopback port, then, for each size in MB and in a fresh Python
process (so that peak figures belong to that size alone), stores a file of that size through
django-storages' S3Storage with the portal's own options (``settings.S3_STORAGE_OPTIONS``:
multipart transfer configuration, spooling limit) and reads it back chunk by chunk the way the
download and ZIP views do. Prints time, throughput, tracemalloc peak (Python allocations) and the
peak resident set size of the process for each. Peak memory must not grow with file size.
Exits 0; it asserts nothing about time.
"""

import argparse
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MB = 1024 * 1024


def one_size(size_mb: int, endpoint: str) -> None:
    """Runs in its own process: upload then download ``size_mb`` MB, print one line of figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # A throwaway key: the portal refuses its public development key unless DEBUG is on.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
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
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

        tracemalloc.start()
        started = time.perf_counter()
        with source.open("rb") as handle:
            name = storage.save("documents/bench/object", File(handle))
        upload_seconds = time.perf_counter() - started
        _, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        rss_after_upload = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        started = time.perf_counter()
        received = 0
        with storage.open(name, "rb") as stored:
            for chunk in stored.chunks(MB):
                received += len(chunk)
        download_seconds = time.perf_counter() - started
        _, download_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after_download = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        storage.delete(name)
    if received != size_mb * MB:
        raise SystemExit(f"read back {received} bytes of {size_mb * MB}")
    upload_rss = (rss_after_upload - rss_before) / 1024
    download_rss = (rss_after_download - rss_before) / 1024
    print(
        f"{size_mb:>5} MB | upload {upload_seconds:6.2f} s {size_mb / upload_seconds:7.1f} MB/s "
        f"peak {upload_peak / MB:6.1f} MB, RSS +{upload_rss:6.1f} MB | "
        f"download {download_seconds:6.2f} s {size_mb / download_seconds:7.1f} MB/s "
        f"peak {download_peak / MB:6.1f} MB, RSS +{download_rss:6.1f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        one_size(arguments.one, arguments.endpoint)
        return
    from tests.s3_servers import moto_binary, moto_server

    if moto_binary() is None:
        print("moto_server is not installed: pip install -r requirements/dev.txt")
        return
    print("Documents through S3Storage (portal options) against moto_server on loopback")
    print("peak = tracemalloc peak of Python allocations; RSS = growth of the peak resident set")
    with moto_server() as server:
        for size in arguments.sizes:
            subprocess.run(
                [sys.executable, __file__, "--one", str(size), "--endpoint", server.endpoint_url],
                check=True,
                cwd=ROOT,
            )


if __name__ == "__main__":
    main()
