"""Serving an attachment safely, for the portal and for the admin alike."""

from django.http import FileResponse

from .uploads import EXTENSIONS


def attachment_response(attachment) -> FileResponse:
    """Stream an attachment as a download that a browser will never render inline.

    The content type is the one we sniffed at upload (PDF, JPEG or PNG), not the
    client's; nosniff and attachment disposition stop any content from executing.
    """
    content_type = attachment.content_type if attachment.content_type in EXTENSIONS else "application/octet-stream"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
