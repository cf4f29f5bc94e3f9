"""Stop reading an uploaded file the moment it passes the document size limit.

Without this, Django would receive a file of any size to a temporary file before the upload
checks could refuse it. The view tells the person why (``request.document_too_large``).
"""

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class DocumentSizeLimitHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.DOCUMENT_MAX_UPLOAD_BYTES:
            if self.request is not None:
                self.request.document_too_large = True  # type: ignore[attr-defined]
            # Read and discard the rest of the request, so the browser gets our page, not a reset.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers build the file
