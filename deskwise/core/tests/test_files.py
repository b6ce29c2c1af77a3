from __future__ import annotations

import pytest

from deskwise.core.files import human_size, is_inline_image, safe_filename


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ann\\Desktop\\scan.png", "scan.png"),
        (".htaccess", "htaccess"),
        ("a<b>c:d|e?.txt", "a_b_c_d_e_.txt"),
        ("evil\u202egnp.exe", "evil_gnp.exe"),
        ("", "attachment"),
        (None, "attachment"),
        ("...", "attachment"),
    ],
)
def test_safe_filename(name, safe):
    assert safe_filename(name) == safe


def test_long_names_keep_their_extension():
    name = safe_filename("x" * 400 + ".docx")
    assert len(name) == 150
    assert name.endswith(".docx")


def test_only_real_raster_images_are_inline():
    assert is_inline_image("image/png", b"\x89PNG\r\n\x1a\n....")
    assert is_inline_image("image/webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    assert not is_inline_image("image/webp", b"RIFF\x00\x00\x00\x00AVI ")
    assert not is_inline_image("image/png", b"<svg>")
    assert not is_inline_image("image/svg+xml", b"<svg>")


def test_human_size():
    assert human_size(11) == "11 bytes"
    assert human_size(2048) == "2 KB"
    assert human_size(25 * 1024 * 1024) == "25 MB"
    assert human_size(1536) == "1.5 KB"
