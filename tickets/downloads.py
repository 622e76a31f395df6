"""Serving an attachment safely, for the portal and for the admin alike."""

import logging

from django.http import FileResponse, Http404

from .uploads import EXTENSIONS

DOWNLOAD_BLOCK_BYTES = 64 * 1024

logger = logging.getLogger(__name__)


def attachment_response(attachment) -> FileResponse:
    """Stream an attachment as a download that a browser will never render inline.

    The content type is the one we sniffed at upload (PDF, JPEG or PNG), not the
    client's; nosniff and attachment disposition stop any content from executing.
    The file is read and sent in blocks as it goes out, from the disk or straight from
    object storage (jhl_portal.storage), never held whole in memory.
    """
    content_type = attachment.content_type if attachment.content_type in EXTENSIONS else "application/octet-stream"
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error("Attachment %s has no file in storage (%s)", attachment.pk, attachment.file.name)
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type,
    )
    response.block_size = DOWNLOAD_BLOCK_BYTES
    # Object storage's stream cannot seek to measure itself: we know the size.
    response.headers.setdefault("Content-Length", str(attachment.size))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
