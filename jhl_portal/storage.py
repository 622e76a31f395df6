"""Attachments in S3-compatible object storage, written and read in chunks.

django-storages' S3Storage already uploads through boto3's transfer manager; two
things are changed so that no attachment is ever held whole in a web process:

- reading: its S3File downloads the whole object into a buffer (in memory by default)
  before the first byte can be read. Here a file opened for reading is S3's response
  body itself, read from the socket as the download is sent on.
- writing: the transfer manager reads each part of a multipart upload into memory
  (8 MB by default, several at a time). Below the threshold it sends one PutObject
  that botocore reads from the spooled upload in small blocks, so the threshold is set
  above any attachment we accept, and parts stay small and sequential above it.
"""

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
from django.core.files.base import File
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

MiB = 1024 * 1024


class StreamingS3File(File):
    """A read-only file over an S3 GetObject response body (not seekable)."""

    def __init__(self, body, name: str, size: int):
        super().__init__(body, name)
        self._size = size


class AttachmentS3Storage(S3Storage):
    def get_default_settings(self):
        defaults = super().get_default_settings()
        defaults["transfer_config"] = TransferConfig(
            multipart_threshold=64 * MiB,  # attachments are at most ATTACHMENT_MAX_BYTES (10 MB)
            multipart_chunksize=8 * MiB,
            max_concurrency=1,
            use_threads=False,
        )
        return defaults

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            return super()._open(name, mode)
        key = self._normalize_name(clean_name(name))
        try:
            response = self.bucket.Object(key).get()
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"File does not exist: {name}") from error
            raise
        return StreamingS3File(response["Body"], name, response["ContentLength"])
