"""How a stored file reaches the person allowed to have it: never rendered inline, never sniffed.

Locally the file is streamed from the folder in chunks. On S3 the browser is sent to a presigned
URL that expires within minutes and makes the bucket answer with ``Content-Disposition:
attachment`` and the type we recognised at upload, so the file never passes through a web node.
"""

import io
import time
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

ZIP_CHUNK_BYTES = 1024 * 1024


def is_s3(storage: Storage) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return False
    return isinstance(storage, S3Storage)


def presigned_download_url(file: FieldFile, name: str, content_type: str) -> str:
    """A short-lived link to one object that downloads it under its display name."""
    disposition = content_disposition_header(as_attachment=True, filename=name)
    return str(
        file.storage.url(  # type: ignore[call-arg]
            file.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=settings.DOCUMENT_DOWNLOAD_URL_SECONDS,
        )
    )


def attachment_response(file: FieldFile, name: str, content_type: str) -> HttpResponseBase:
    """The response that hands ``file`` over as a download named ``name``."""
    response: HttpResponseBase
    if is_s3(file.storage):
        response = HttpResponseRedirect(presigned_download_url(file, name, content_type))
    else:
        response = FileResponse(
            file.open("rb"), as_attachment=True, filename=name, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def bucket_make_private(client: Any, bucket: str) -> None:
    """Block every form of public access to the bucket and encrypt new objects by default.

    ``client`` is a boto3 S3 client; run once per bucket (``manage.py document_bucket_prepare``).
    """
    client.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    client.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )


class _Sink(io.RawIOBase):
    """An unseekable stream that keeps what zipfile writes until the response takes it."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def zip_stream(entries: Iterable[tuple[str, FieldFile]]) -> Iterator[bytes]:
    """A ZIP of ``entries`` (name in the archive, stored file), produced a chunk at a time:
    memory holds one chunk of one file, however many and large the files are."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, file in entries:
            info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with file.open("rb") as source, archive.open(info, "w", force_zip64=True) as target:
                for chunk in source.chunks(ZIP_CHUNK_BYTES):
                    target.write(chunk)
                    yield sink.take()
            file.close()
            yield sink.take()
    yield sink.take()


def zip_response(entries: Iterable[tuple[str, FieldFile]], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(zip_stream(entries), content_type="application/zip")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=name) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
