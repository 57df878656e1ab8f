"""Reading a user's report files, with one clear error for each way a path or file can be wrong.

Files are UTF-8. A UTF-8 byte-order mark is removed, as editors do not show or count it,
so offsets match what an editor shows. A file in another encoding is not read as mojibake:
the error names what it looks like (UTF-16 or UTF-32 by its byte-order mark or its zero
bytes, Windows-1258 when that reading gives Vietnamese letters, Latin-1 otherwise), and
`encoding=` (`--encoding`) reads it.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from vnreport.errors import BadValueError, MissingError

_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32", "utf-32"), (codecs.BOM_UTF32_BE, "UTF-32", "utf-32"),
         (codecs.BOM_UTF16_LE, "UTF-16", "utf-16"), (codecs.BOM_UTF16_BE, "UTF-16", "utf-16"))
# letters only Vietnamese writes: ă â đ ê ô ơ ư and the precomposed tone-marked vowels
_VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")


def guess_encoding(data: bytes) -> tuple[str, str]:
    """(what a non-UTF-8 file looks like, the codec that reads it)."""
    for bom, name, codec in _BOMS:
        if data.startswith(bom):
            return f"{name} (it starts with a byte-order mark)", codec
    if data[1::2].count(0) > len(data) // 4:
        return "UTF-16 little-endian (every other byte is zero)", "utf-16-le"
    if data[0::2].count(0) > len(data) // 4:
        return "UTF-16 big-endian (every other byte is zero)", "utf-16-be"
    vietnamese = len(_VIETNAMESE.findall(unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))))
    if vietnamese and vietnamese >= len(re.findall(rb"[\x80-\xff]", data)) // 4:
        return "Windows-1258 (Vietnamese)", "cp1258"
    return "Latin-1 / Windows-1252", "cp1252"


def check_file(path: str | Path) -> Path:
    """The path, if it names a file; one clear error if it is missing or a folder."""
    p = Path(path)
    if p.is_dir():
        raise BadValueError(f"{p} is a folder; give the files in it (e.g. {p}/*.txt)")
    if not p.exists():
        raise MissingError(f"{p}: no such file")
    return p


def read_text(path: str | Path, encoding: str | None = None) -> str:
    """The text of a report file (UTF-8 unless `encoding` says otherwise), without a byte-order mark."""
    p = check_file(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise BadValueError(f"{p} cannot be read: {e.strerror or e}") from None
    try:
        text = data.decode(encoding or "utf-8")
    except LookupError:
        raise BadValueError(f"unknown encoding {encoding!r} (try utf-8, utf-16, cp1258, cp1252)") from None
    except UnicodeDecodeError as e:
        where = f"byte {data[e.start]:#04x} at offset {e.start}"
        if encoding:
            raise BadValueError(f"{p} is not {encoding} ({where})") from None
        looks, codec = guess_encoding(data)
        raise BadValueError(f"{p} is not UTF-8 ({where}); it looks like {looks}: "
                            f"convert it to UTF-8 or pass --encoding {codec}") from None
    return text.removeprefix("\ufeff")
