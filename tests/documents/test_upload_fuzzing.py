"""Hypothesis throws arbitrary bytes and names at the upload checks: accept or explain."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from documents.validators import CSV, JPEG, OFFICE_TYPES, PDF, PNG, check_upload

ACCEPTED = {PDF, PNG, JPEG, CSV, *OFFICE_TYPES.values()}
PREFIXES = [
    b"",
    b"%PDF-1.7\n",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"MZ",
    b"a,b\n",
]


def outcome(name: str, content: bytes) -> str | list[str]:
    try:
        return check_upload(SimpleUploadedFile(name, content)).content_type
    except ValidationError as error:
        return list(error.messages)


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=3000),
    # Django's upload parser has already cut everything up to the last "/" (see the corpus test).
    name=st.text(min_size=1, max_size=40).map(lambda n: n.replace("/", "_")),
)
def test_any_bytes_under_any_name_are_accepted_as_a_known_type_or_explained(prefix, body, name):
    result = outcome(f"x{name}", prefix + body)

    if isinstance(result, str):
        assert result in ACCEPTED
    else:
        assert len(result) == 1
        assert result[0].endswith(".")  # a sentence a person can act on


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=20),
        st.binary(max_size=500),
        max_size=5,
    )
)
def test_any_zip_is_accepted_only_as_a_real_office_document(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry_name, data in entries.items():
            archive.writestr(entry_name, data)

    result = outcome("report.docx", buffer.getvalue())

    if isinstance(result, str):
        assert result in OFFICE_TYPES.values()
        assert "[Content_Types].xml" in entries
