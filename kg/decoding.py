"""Bytes -> text for :mod:`kg.ingest`: telling text from binary files (PDF, images, archives, control bytes) and
deciding a file's encoding on its first MiB (BOMs, UTF-16 without a BOM, UTF-8 first, then charset-normalizer).
Bytes that do not decode are kept as lone surrogates, so the record that holds one is skipped, never misread."""

from __future__ import annotations

import codecs
import io
import re
from typing import Any, BinaryIO, TextIO

#: A text stream's own control characters but tab and newline (as :mod:`kg.ingest` reads them).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")

SAMPLE_BYTES = 1 << 20  # the encoding is decided on the first MiB (the whole file for almost every article)
_UNICODE_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Leading bytes of common binary formats -> what the file is, for the reason a file is skipped.
_BINARY_SIGNATURES = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive, or a DOCX, XLSX or EPUB file"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"\x7fELF", "program"),
)
# Control bytes that no text file holds (tab, line breaks, form feed and escape are text); past five of them in
# a hundred, the file is binary even without a NUL byte.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_BINARY_CONTROL_SHARE = 0.05
# A valid UTF-8 sequence of two to four bytes: a file that holds one was written as UTF-8.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def open_text(binary: BinaryIO, *, empty_reason: str) -> TextIO | str:
    """A text stream over ``binary``, its encoding decided on the first bytes; or the reason it is not text.

    UTF-8 (BOM stripped) when the bytes are valid UTF-8 or hold valid UTF-8 sequences among invalid bytes,
    UTF-16/32 when they start with a BOM, else what charset-normalizer detects. Bytes that do not decode are
    kept as lone surrogates (``errors="surrogateescape"``), so the record that holds one is skipped with the
    byte in the reason (see ``_decoded``) rather than read with a wrong letter.
    """
    sample = binary.read(SAMPLE_BYTES)
    if not sample:
        return empty_reason
    binary_kind = _binary_kind(sample)
    if binary_kind is not None:
        return binary_kind
    encoding = _detect_encoding(sample, complete=len(sample) < SAMPLE_BYTES)
    if encoding is None:
        return "binary file"
    raw = _Prefixed(sample, binary)
    return io.TextIOWrapper(io.BufferedReader(raw), encoding=encoding, errors="surrogateescape", newline="")


def _binary_kind(sample: bytes) -> str | None:
    """The reason to skip a file whose first bytes are binary ("binary file (PNG image)"), else None."""
    for signature, kind in _BINARY_SIGNATURES:
        if sample.startswith(signature):
            return f"binary file ({kind})"
    if any(sample.startswith(bom) for bom, _ in _UNICODE_BOMS) or _utf16_without_bom(sample):
        return None  # UTF-16/32 text: every other byte is NUL
    head = sample[:8192]
    # A stray NUL byte or two in a text (a bad copy, a C string) is a control character like others.
    if len(head.translate(None, _CONTROL_BYTES)) < len(head) * (1 - _BINARY_CONTROL_SHARE):
        return "binary file"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text written without a BOM, told by its NUL bytes: text of Latin
    letters has a NUL in every other byte, on the same side; else None."""
    head = sample[: 8192 & ~1]
    if len(head) < 4:
        return None
    for encoding, nuls, letters in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        if nuls.count(0) >= 0.6 * len(nuls) and letters.count(0) == 0:
            try:
                text = head.decode(encoding)
            except UnicodeDecodeError:
                continue
            if len(_CONTROL.findall(text)) <= 0.01 * len(text):
                return encoding
    return None


def _detect_encoding(sample: bytes, *, complete: bool) -> str | None:
    for bom, encoding in _UNICODE_BOMS:
        if sample.startswith(bom):
            return encoding
    without_bom = _utf16_without_bom(sample)
    if without_bom is not None:
        return without_bom
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(sample):
        # Written as UTF-8, with some bytes that are not: a legacy encoding would turn its letters into
        # mojibake ("CafÃ©"), so it is read as UTF-8 and the record with the bad bytes is skipped.
        return "utf-8-sig"
    from charset_normalizer import from_bytes  # only legacy-encoded inputs pay for detection

    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        return None
    # Short Western texts decode without "chaos" in many code pages (cp775, cp1250, mac_roman ...), and
    # charset-normalizer picks one of them at random. Among the equally good ones, prefer Windows-1252, the
    # legacy encoding of Western news sites (and a superset of Latin-1's printable characters).
    for match in matches:
        if match.chaos <= best.chaos and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return best.encoding


class _Prefixed(io.RawIOBase):
    """A raw stream that gives back bytes already read, then the rest of the stream (stdin cannot seek)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest
        self._read = getattr(rest, "read1", rest.read)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            data, self._head = self._head[: len(buffer)], self._head[len(buffer) :]
        else:
            data = self._read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
