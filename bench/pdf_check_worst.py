"""Benchmark: how long and how much memory the upload check of a PDF takes on the worst
files we could build (issue 8, point 9), each at most ATTACHMENT_MAX_BYTES (10 MB).

    .venv/bin/python bench/pdf_check_worst.py

Prints, per file, what tickets.upload_checks.check_structure() answered, the time it
took and the most memory Python held meanwhile (tracemalloc, so somewhat slower than
in production). The module docstring of tickets/upload_checks.py quotes the result.
"""

import io
import os
import sys
import time
import tracemalloc
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jhl_portal.settings")

import django  # noqa: E402

django.setup()

from tests.files import pdf_from_objects, valid_pdf, write_large_pdf  # noqa: E402
from tickets.upload_checks import Unreadable, check_structure  # noqa: E402

LIMIT = 10 * 1024 * 1024
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def large_valid() -> bytes:
    out = io.BytesIO()
    write_large_pdf(out, 9 * 1024 * 1024)
    return out.getvalue()


def many_pages() -> bytes:
    """A flat page tree of as many pages as fit."""
    count = 95_000
    kids = b" ".join(b"%d 0 R" % (n + 3) for n in range(count))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"
    return pdf_from_objects([CATALOG, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count] + [page] * count)


def exponential_tree() -> bytes:
    """Each Pages node lists the next one 50 times: 50^40 pages to anyone who counts them."""
    depth = 40
    nodes = [b"<< /Type /Pages /Kids [" + b" ".join([b"%d 0 R" % (n + 3)] * 50) + b"] /Count 1 >>" for n in range(depth)]
    # The last level's kids are leaves that hold no page: nothing to find.
    nodes.append(b"<< /Type /Pages /Kids [] /Count 0 >>")
    return pdf_from_objects([CATALOG, *nodes])


def deep_nesting() -> bytes:
    depth = 4_000_000
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * depth + b"] >>", b"<< /Kids [] >>"])


def broken_xref() -> bytes:
    """As many objects as fit and a startxref that points nowhere: pypdf rebuilds the
    cross-reference table by scanning the whole file, then parses every object it found."""
    count = 180_000
    filler = [b"<< /Type /Page /Parent 2 0 R >>"] * count
    body = pdf_from_objects([CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>", *filler], xref=False)
    return body.replace(b"%%EOF\n", b"startxref\n12345\n%%EOF\n")


def object_markers() -> bytes:
    """Nothing but "1 0 obj" as often as fits, and a startxref that points nowhere:
    pypdf's search for objects, which runs before any read, finds 1.3 million."""
    return b"%PDF-1.7\n" + b"1 0 obj\n" * 1_300_000 + b"startxref\n9\n%%EOF\n"


def long_xref() -> bytes:
    """A cross-reference table that claims 490,000 objects, all at offset 0."""
    count = 490_000
    body = b"%PDF-1.7\n"
    return (
        body
        + b"xref\n0 %d\n" % count
        + b"0000000009 00000 n \n" * count
        + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n9\n%%%%EOF\n" % count
    )


def inflate_bomb() -> bytes:
    """A cross-reference stream of 9 MB that inflates to 9 GB: pypdf must inflate it
    before it can find any object."""
    bomb = zlib.compressobj(9)
    block = bytes(1024 * 1024)
    data = b"".join(bomb.compress(block) for _ in range(9000)) + bomb.flush()
    body = b"%PDF-1.7\n"
    xref = (
        b"1 0 obj\n<< /Type /XRef /Size 2 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n" % len(data)
        + data
        + b"\nendstream\nendobj\n"
    )
    return body + xref + b"startxref\n%d\n%%%%EOF\n" % len(body)


def prev_chain() -> bytes:
    """90,000 incremental updates, each a cross-reference section pointing at the one before."""
    parts = [valid_pdf()]
    position = len(parts[0])
    previous = parts[0].rindex(b"startxref")
    previous = int(parts[0][previous + 10 :].split()[0])
    for _ in range(90_000):
        section = b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R /Prev %d >>\n" % previous
        parts.append(section)
        previous, position = position, position + len(section)
    parts.append(b"startxref\n%d\n%%%%EOF\n" % previous)
    return b"".join(parts)


def check(data: bytes) -> str:
    try:
        check_structure(io.BytesIO(data), "application/pdf")
    except Unreadable as refused:
        return refused.code
    return "accepted"


def measure(name: str, data: bytes) -> None:
    """Timed on its own, then again under tracemalloc (which slows Python down) for memory."""
    assert len(data) <= LIMIT, f"{name}: {len(data)} bytes"
    started = time.perf_counter()
    answer = check(data)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    check(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{name:18} {len(data) / 1e6:5.1f} MB  {answer:16} {elapsed:5.2f} s  {peak / 1e6:5.1f} MB")


if __name__ == "__main__":
    print(f"{'file':18} {'size':>8}  {'answer':16} {'time':>7}  {'memory':>8}")
    builds = (large_valid, many_pages, exponential_tree, deep_nesting, broken_xref, object_markers, long_xref, inflate_bomb)
    for build in (*builds, prev_chain):
        measure(build.__name__, build())
