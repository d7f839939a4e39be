"""Build-cache entries that cannot corrupt a build: written to a temporary file and renamed into place, checked when read."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import struct
import tempfile
import zlib


class CacheError(Exception):
    """A cache folder that cannot be written (read-only, full disk...): the message names it and says what to do."""


def write(path: str, data: bytes, *, setting: str) -> None:
    """Writes one entry atomically: readers (this build, another build sharing the cache) see the old entry or the new.

    Without fsync: an entry a crash leaves short is found by the reader's check and drawn again. `setting` is the
    environment variable that moves this cache (named in the error).
    """
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as f:
                f.write(data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as error:
        raise CacheError(unwritable(folder, error, setting)) from None


def prune(folder: str, keep: int) -> None:
    """Keeps the `keep` most recently used entries of a folder (see `used`); a build sharing it may prune the same ones."""
    entries = []
    for entry in os.scandir(folder):
        with contextlib.suppress(FileNotFoundError):  # pruned by the other build meanwhile
            if entry.is_file() and not entry.name.endswith(".tmp"):
                entries.append((entry.stat().st_mtime, entry.path))
    for _, path in sorted(entries, reverse=True)[keep:]:
        with contextlib.suppress(OSError):  # gone already, or a read-only cache, which stays as it is
            os.unlink(path)


def used(path: str) -> None:
    """Marks an entry as just used (its modification time), for `prune`; a read-only cache stays as it is."""
    with contextlib.suppress(OSError):
        os.utime(path)


def unwritable(folder: str, error: OSError, setting: str) -> str:
    """One line: which folder could not be written, why, and what to do."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        todo = f"free some space on that disk, or set {setting} to a folder on another disk, and build again"
        return f"Cannot write the build cache in {folder}: no space left on the device; {todo}"
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        todo = f"make it writable, or set {setting} to a writable folder, and build again"
        return f"Cannot write the build cache in {folder}: {error.strerror.lower()}; {todo}"
    reason = str(error.strerror or error)
    return f"Cannot write the build cache in {folder}: {reason[:1].lower() + reason[1:]}; set {setting} to another folder"


def read(path: str) -> bytes | None:
    """The entry's bytes, or None if there is none (nor a folder for it: the write then says what is wrong)."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except (FileNotFoundError, NotADirectoryError):
        return None


def json_problem(data: bytes, check) -> tuple[object, str | None]:
    """(parsed JSON, None), or (None, what is wrong) for an entry that does not parse or that `check(value)` rejects."""
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"not valid JSON ({error.msg if hasattr(error, 'msg') else error})"
    problem = check(value)
    return (None, problem) if problem else (value, None)


def sealed(data: bytes) -> bytes:
    """An entry of bytes that carry no check of their own (compiled code): their SHA-256 on a line, then the bytes."""
    return hashlib.sha256(data).hexdigest().encode() + b"\n" + data


def read_sealed(path: str) -> tuple[bytes | None, str | None]:
    """(the bytes, None) of a whole sealed entry, (None, None) if there is none, (None, what is wrong) if it is damaged."""
    data = read(path)
    if data is None:
        return None, None
    payload, problem = sealed_problem(data)
    return (None, problem) if problem else (payload, None)


def sealed_problem(data: bytes) -> tuple[bytes, str | None]:
    """(the bytes, None) for a whole sealed entry, or (b"", what is wrong) for one cut, changed or emptied."""
    digest, _, payload = data.partition(b"\n")
    if len(digest) != 64 or hashlib.sha256(payload).hexdigest().encode() != digest:
        return b"", "its checksum does not match (cut or changed)"
    return payload, None


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # PNG colour type -> samples per pixel


def png_problem(data: bytes, size: tuple[int, int]) -> str | None:
    """None if `data` is a whole PNG of `size` (width, height) that decodes; else what is wrong with it.

    Checks the signature, every chunk's CRC, the header, the IEND chunk, and that the image data inflates to exactly
    the rows the header promises (no image library needed).
    """
    if len(data) < 67:  # signature + IHDR + an IDAT + IEND
        return f"too short for a PNG ({len(data)} bytes)"
    if not data.startswith(PNG_SIGNATURE):
        return "no PNG signature"
    position, chunks, pixels = len(PNG_SIGNATURE), [], b""
    while position < len(data):
        if position + 12 > len(data):
            return "cut off inside a chunk"
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if len(body) < length or position + 12 + length > len(data):
            return f"cut off inside its {kind.decode('latin-1')} chunk"
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        if zlib.crc32(kind + body) != crc:
            return f"checksum error in its {kind.decode('latin-1')} chunk"
        chunks.append(kind)
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            pixels += body
        position += 12 + length
        if kind == b"IEND":
            break
    if not chunks or chunks[0] != b"IHDR" or b"IDAT" not in chunks:
        return "no header or no image data"
    if chunks[-1] != b"IEND" or position != len(data):
        return "no end chunk (cut off)" if chunks[-1] != b"IEND" else "data after the end chunk"
    if (width, height) != size:
        return f"{width}x{height} instead of {size[0]}x{size[1]}"
    try:
        raw = zlib.decompress(pixels)
    except zlib.error as error:
        return f"image data does not decode ({error})"
    row = 1 + (width * CHANNELS.get(colour, 4) * depth + 7) // 8
    if len(raw) != row * height:
        return f"image data holds {len(raw)} bytes instead of {row * height}"
    return None
