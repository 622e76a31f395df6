"""Attachments in S3-compatible object storage (jhl_portal/storage.py), against a real
S3 server (moto, its own process): they go to the bucket, come back only to who may
see them, and neither way is a whole file held in memory."""

import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.urls import reverse

from tests.files import PDF_BYTES, pdf, write_large_pdf
from tests.servers import S3_KEYS, S3_REGION, bucket_keys, moto_s3_server, new_bucket
from tickets import services
from tickets.downloads import DOWNLOAD_BLOCK_BYTES
from tickets.models import Attachment, Channel, TimelineEntry
from tickets.uploads import validate_upload

MiB = 1024 * 1024
BIG_FILE_BYTES = 9 * MiB  # bigger than Django's in-memory upload limit (5 MB), within ours (10 MB)
# What a transfer may hold at once, whatever the file's size: botocore signs and checks
# an upload in 1 MiB blocks (here 2.1 MiB at the peak for 8 MiB and 20 MiB files alike).
MEMORY_BOUND_BYTES = 3 * MiB


@pytest.fixture(scope="session")
def s3_endpoint():
    with moto_s3_server() as endpoint_url:
        yield endpoint_url


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh bucket, and attachments stored in it (as S3_BUCKET would configure)."""
    name = new_bucket(s3_endpoint)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "jhl_portal.storage.AttachmentS3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": S3_REGION,
                "addressing_style": "path",
                **S3_KEYS,
            },
        },
    }
    return name


def big_pdf(tmp_path) -> TemporaryUploadedFile:
    """What Django hands a view for a large upload: a file it spooled to disk, here a
    valid one-page PDF of 9 MiB (its content stream is the bulk), written in blocks."""
    upload = TemporaryUploadedFile("contrato.pdf", "application/pdf", BIG_FILE_BYTES, None)
    write_large_pdf(upload, BIG_FILE_BYTES)
    upload.seek(0)
    return upload


def pdf_with_junk_after_its_end(tmp_path) -> TemporaryUploadedFile:
    """A small valid PDF with 9 MiB appended after its %%EOF: another file glued behind it."""
    upload = TemporaryUploadedFile("contrato.pdf", "application/pdf", BIG_FILE_BYTES, None)
    upload.write(PDF_BYTES)
    block = b"0" * MiB
    while upload.tell() < BIG_FILE_BYTES:
        upload.write(block[: BIG_FILE_BYTES - upload.tell()])
    upload.seek(0)
    return upload


def attach(ticket, upload) -> Attachment:
    """A client message on `ticket` carrying `upload`; its stored attachment."""
    entry = services.entry_add(
        ticket=ticket,
        kind=TimelineEntry.Kind.CLIENT_MESSAGE,
        author=ticket.requester,
        body="Adjunto",
        channel=Channel.PORTAL,
        attachments=[validate_upload(upload)],
    )
    return entry.attachments.get()


def peak_memory_of(work) -> int:
    """The most memory Python had allocated, above what it held before, while `work` ran."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def test_a_portal_upload_goes_to_the_bucket_and_downloads_from_it(logged_in, bucket, s3_endpoint, ticket_a, settings):
    response = logged_in.post(
        reverse("portal:ticket_reply", kwargs={"number": ticket_a.number}), {"body": "Va la póliza.", "files": [pdf()]}
    )
    assert response.status_code == 302

    attachment = Attachment.objects.get()
    assert bucket_keys(s3_endpoint, bucket) == [attachment.file.name]
    assert not (settings.MEDIA_ROOT / "attachments").exists()

    download = logged_in.get(reverse("portal:attachment_download", kwargs={"pk": attachment.pk}))
    assert download.status_code == 200
    assert download.streaming
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Length"] == str(len(PDF_BYTES))
    assert download["Content-Disposition"] == 'attachment; filename="poliza.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_client_of_another_company_gets_404_for_a_stored_attachment(client, client_b, bucket, ticket_a):
    attachment = attach(ticket_a, pdf())
    client.force_login(client_b)

    assert client.get(reverse("portal:attachment_download", kwargs={"pk": attachment.pk})).status_code == 404


def test_a_missing_object_answers_404_not_500(logged_in, bucket, s3_endpoint, ticket_a):
    attachment = attach(ticket_a, pdf())
    attachment.file.storage.delete(attachment.file.name)

    assert logged_in.get(reverse("portal:attachment_download", kwargs={"pk": attachment.pk})).status_code == 404


def test_an_upload_is_streamed_to_the_bucket_not_read_into_memory(bucket, s3_endpoint, ticket_a, tmp_path):
    attach(ticket_a, pdf())  # the first upload loads boto3's service models
    upload = big_pdf(tmp_path)

    peak = peak_memory_of(lambda: attach(ticket_a, upload))

    stored = Attachment.objects.get(original_name="contrato.pdf")
    assert stored.file.storage.size(stored.file.name) == BIG_FILE_BYTES
    assert peak < MEMORY_BOUND_BYTES, f"the upload held {peak / MiB:.1f} MiB"


def test_megabytes_after_a_pdfs_end_are_refused_without_reading_them_into_memory(bucket, s3_endpoint, ticket_a, tmp_path):
    # Readers look for %%EOF in the last 1024 bytes only (tickets.upload_checks): what
    # lies after it is no part of the PDF, so the file is refused, not stored with it.
    upload = pdf_with_junk_after_its_end(tmp_path)
    refused = []

    def check():
        with pytest.raises(ValidationError) as error:
            attach(ticket_a, upload)
        refused.append(error.value.code)

    peak = peak_memory_of(check)

    assert refused == ["pdf_no_end"]
    assert bucket_keys(s3_endpoint, bucket) == []
    assert not Attachment.objects.exists()
    assert peak < MEMORY_BOUND_BYTES, f"the check held {peak / MiB:.1f} MiB"


def test_a_download_is_streamed_from_the_bucket_in_blocks(logged_in, bucket, ticket_a, tmp_path):
    url = reverse("portal:attachment_download", kwargs={"pk": attach(ticket_a, big_pdf(tmp_path)).pk})
    b"".join(logged_in.get(url).streaming_content)  # warm up as above
    received = {"bytes": 0, "blocks": 0, "largest": 0}

    def download():
        response = logged_in.get(url)
        assert response.status_code == 200 and response.streaming
        for block in response.streaming_content:
            received["bytes"] += len(block)
            received["blocks"] += 1
            received["largest"] = max(received["largest"], len(block))

    peak = peak_memory_of(download)

    assert received["bytes"] == BIG_FILE_BYTES
    assert received["largest"] <= DOWNLOAD_BLOCK_BYTES
    assert received["blocks"] >= BIG_FILE_BYTES // DOWNLOAD_BLOCK_BYTES
    assert peak < MEMORY_BOUND_BYTES, f"the download held {peak / MiB:.1f} MiB"
