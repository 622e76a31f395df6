"""Articles are Markdown from staff; what reaches a client's browser can never run."""

import pytest

from helpcenter.markdown import render_markdown


def test_it_renders_headings_lists_links_and_tables():
    html = render_markdown("## Acceso\n\n- uno\n- dos\n\n[Portal](/portal-de-clientes/)\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h2>Acceso</h2>" in html
    assert "<li>uno</li>" in html
    assert '<a href="/portal-de-clientes/" rel="noopener noreferrer">Portal</a>' in html
    assert "<table>" in html and "<td>1</td>" in html


def test_a_top_level_heading_becomes_h2_below_the_page_title():
    assert "<h2>Título</h2>" in render_markdown("# Título")


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<iframe src='https://evil.example'></iframe>",
        '<a href="javascript:alert(1)">clic</a>',
        "<svg onload=alert(1)>",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_raw_html_comes_out_as_text(source):
    html = render_markdown(source)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<svg" not in html and "<div" not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "source",
    [
        "[clic](javascript:alert(1))",
        "[clic](JaVaScRiPt:alert(1))",
        "[clic](javascript&#58;alert(1))",
        "[clic](vbscript:msgbox(1))",
        "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<javascript:alert(1)>",
        "[clic][ref]\n\n[ref]: javascript:alert(1)",
        "![x](javascript:alert(1))",
    ],
)
def test_no_link_can_run_a_script(source):
    html = render_markdown(source).lower()
    assert 'href="javascript' not in html and 'href="vbscript' not in html and 'href="data:' not in html
    assert "<img" not in html


def test_mail_and_web_links_stay():
    html = render_markdown("[TI](mailto:it@jhl.mx) y [sitio](https://jhl.mx)")
    assert 'href="mailto:it@jhl.mx"' in html and 'href="https://jhl.mx"' in html
