"""How a stored file reaches the person allowed to have it: never rendered inline, never sniffed.

Locally the file is streamed from the folder in chunks. On S3 the browser is sent to a presigned
URL that expires within minutes and makes the bucket answer with ``Content-Disposition:
attachment`` and the type we recognised at upload, so the file never passes through a web node.
"""

from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


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
