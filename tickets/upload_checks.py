"""The structure of an uploaded file (issue 8, point 9): a PDF must parse and have a
page, an image must decode, and no file may carry HTML for a browser to find.

tickets.uploads.validate_upload() knows a file's type by its first bytes; these checks
then read it as that type, so a file that only starts right ("%PDF-1.7" and nothing
else, a PNG signature alone, a PDF cut short, an HTML page behind a PDF header) is
refused. Each check reads the file object in blocks or by seeking (pypdf reads the
cross-reference table from the end and each object where it lies), never the whole
file at once: a 9 MiB PDF is checked holding about half a MiB (tests/test_storage.py
measures the whole upload).

Limits, because a hostile file may be built to make a parser slow or greedy:

- PDF: ``%%EOF`` must be in the last 1024 bytes (where Acrobat itself looks for it).
  A cut file has none; a file with megabytes appended after its end (another
  file glued behind a valid PDF) is refused too, and pypdf never searches backwards
  through them. pypdf then reads it with ``strict=False`` (real invoices and scans
  often have slightly wrong offsets, which it repairs), its decoders capped at
  PDF_DECODED_MAX_BYTES, inside a time box: every read it makes goes through
  _DeadlineFile, which stops the parse PDF_TIME_BUDGET_SECONDS after it began
  (pypdf has no timeout of its own, and its slow paths are all driven by reads).
  Only the page tree's path to a first page is walked, never every page. Measured
  with bench/pdf_check_worst.py (10 MB files: 95,000 pages, a table of 490,000
  objects, 90,000 chained updates, a broken table that pypdf rebuilds by scanning
  180,000 objects, a stream inflating to 9 GB, 4 million nested arrays): at most
  2.03 s (the time box, then refused; the 95,000 pages pass in 1.2 s), at most 52 MB
  of memory (the inflate bomb, refused in 0.2 s); a valid 9 MiB PDF takes 0.01 s and
  0.5 MB.
- Images: at most MAX_IMAGE_PIXELS pixels (Pillow's decompression-bomb check, also
  set as Pillow's own bound); a PNG must pass Pillow's verify() (every chunk and its
  checksum, up to IEND); a JPEG, for which verify() does nothing, is decoded at an
  eighth of its width and height (all of its data is read, into 1/64 of the memory).
- Markup: the file is scanned in blocks for the start of an HTML document or an
  active element (``<html``, ``<script``, ``<iframe``…, case-insensitive, followed by
  a space, "/" or ">"). Only tags of four letters or more: compressed data is random,
  and a short tag such as ``<a`` or ``<svg`` would turn up by chance in large files.
"""

import io
import re
import time

import pypdf
from PIL import Image, UnidentifiedImageError
from pypdf.errors import PyPdfError

PDF_TAIL_BYTES = 1024
PDF_TIME_BUDGET_SECONDS = 2.0
PDF_PAGE_NODES_SEEN = 1000
# What pypdf may inflate one stream (an object stream, a cross-reference stream) to.
PDF_DECODED_MAX_BYTES = 16 * 1024 * 1024
# 64 megapixels: a 8000 × 8000 scan or a 48 MP phone photo passes; a PNG of a few
# kilobytes that claims 100,000 × 100,000 pixels does not.
MAX_IMAGE_PIXELS = 64_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

_SCAN_BLOCK_BYTES = 256 * 1024
_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|frameset|object|embed|style|title|table|form|meta|link|base)[\s/>]",
    re.IGNORECASE,
)
_MARKUP_OVERLAP = 32  # longer than any match, so a tag split between two blocks is found


class Unreadable(Exception):
    """The file is not what its first bytes say; `code` says why (tickets.uploads.MESSAGES)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_structure(file, content_type: str) -> None:
    """Raise Unreadable if `file` (seekable, at any position) is not a sound file of
    `content_type`; leave it at position 0."""
    try:
        _check_no_markup(file)
        {"application/pdf": _check_pdf, "image/jpeg": _check_image, "image/png": _check_image}[content_type](file)
    finally:
        file.seek(0)


def _check_no_markup(file) -> None:
    file.seek(0)
    carried = b""
    while block := file.read(_SCAN_BLOCK_BYTES):
        if _MARKUP.search(carried + block):
            raise Unreadable("markup")
        carried = block[-_MARKUP_OVERLAP:]


# --- PDF ------------------------------------------------------------------------------


class _TooSlow(BaseException):
    """Not an Exception: pypdf's lenient mode catches every Exception where it tries to
    repair a file, and would carry on past the deadline."""


class _DeadlineFile:
    """`file` for pypdf, raising _TooSlow once `deadline` (time.monotonic()) has passed.

    pypdf reads a byte at a time while it tokenises, so this sits on its hottest path:
    a plain class (an io.RawIOBase subclass doubled the parse time) that looks at the
    clock every _CLOCK_EVERY calls.
    """

    def __init__(self, file, deadline: float):
        self._file, self._deadline, self._calls, self._late = file, deadline, 0, False

    def _on_time(self) -> None:
        self._calls += 1
        if self._late or (self._calls % _CLOCK_EVERY == 0 and time.monotonic() > self._deadline):
            self._late = True
            raise _TooSlow

    def read(self, size: int = -1) -> bytes:
        self._on_time()
        return self._file.read(size)

    def readline(self, size: int = -1) -> bytes:
        self._on_time()
        return self._file.readline(size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._on_time()
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()


_CLOCK_EVERY = 256


def _check_pdf(file) -> None:
    file.seek(0, io.SEEK_END)
    file.seek(max(0, file.tell() - PDF_TAIL_BYTES))
    if b"%%EOF" not in file.read(PDF_TAIL_BYTES):
        raise Unreadable("pdf_no_end")
    limits = {
        name: PDF_DECODED_MAX_BYTES
        for name in (
            "array_based_stream_maximum_output_length",
            "brotli_maximum_output_length",
            "jbig2_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "zlib_maximum_output_length",
        )
    }
    file.seek(0)
    try:
        with pypdf.apply_configuration(**limits):
            reader = pypdf.PdfReader(_DeadlineFile(file, time.monotonic() + PDF_TIME_BUDGET_SECONDS), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise Unreadable("pdf_encrypted")
            if not _has_a_page(reader.root_object["/Pages"]):
                raise Unreadable("pdf_no_pages")
    except _TooSlow:
        raise Unreadable("pdf_too_complex") from None
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, MemoryError, OSError):
        # pypdf reports a broken file as its own errors and, for some damage, as
        # whatever Python raised where it stumbled.
        raise Unreadable("pdf_damaged") from None


def _has_a_page(pages) -> bool:
    """Whether the page tree under `pages` leads to a page, looking at PDF_PAGE_NODES_SEEN
    nodes at most: not len(reader.pages), which would walk (and copy) every page of a
    tree built to be huge, without a read for the time box to stop."""
    waiting = [pages]
    for _ in range(PDF_PAGE_NODES_SEEN):
        if not waiting:
            return False
        node = waiting.pop().get_object()
        if not isinstance(node, pypdf.generic.DictionaryObject):
            continue
        kids = node.get("/Kids")
        # As pypdf reads a tree: a node with /Kids is a branch, whatever its /Type says.
        if kids is None:
            if node.get("/Type", "/Page") == "/Page":
                return True
        else:
            waiting.extend(reversed(kids.get_object()))
    return False


# --- Images ---------------------------------------------------------------------------


def _check_image(file) -> None:
    file.seek(0)
    try:
        with Image.open(file, formats=["JPEG", "PNG"]) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise Unreadable("image_too_large")
            if image.format == "PNG":
                image.verify()
            else:
                # JpegImageFile.verify() checks nothing: decode at 1/8 scale instead.
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Unreadable("image_too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError):
        # Pillow's decoders report damage as OSError ("image file is truncated"),
        # SyntaxError (a bad chunk or marker) or ValueError.
        raise Unreadable("image_damaged") from None
