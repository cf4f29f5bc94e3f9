"""Every key a file is stored under is random, so two files never meet: the S3 storage writes
without first asking whether a key is free (``file_overwrite``), and nothing of an uploader's file
name reaches the bucket."""

import re

import pytest
from django.apps import apps
from django.db import models

# At least 128 random bits, as hexadecimal, in every key.
RANDOM = re.compile(r"[0-9a-f]{32}")


def file_fields() -> list[models.FileField]:
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def test_the_portal_stores_files():
    assert {f"{f.model._meta.label}.{f.name}" for f in file_fields()} >= {
        "documents.Document.file",
        "documents.WelcomePacketItem.file",
        "documents.PacketDelivery.letter",
        "reviews.Export.file",
    }


@pytest.mark.parametrize("field", file_fields(), ids=lambda f: f"{f.model.__name__}.{f.name}")
def test_each_file_field_makes_a_new_random_key_without_the_file_name(field):
    assert callable(field.upload_to), "a fixed folder would let two files meet"
    keys = {field.upload_to(None, "Sunrise IRS proof.pdf") for _ in range(50)}
    assert len(keys) == 50
    for key in keys:
        assert RANDOM.search(key), key
        assert "Sunrise" not in key
        assert "proof" not in key
