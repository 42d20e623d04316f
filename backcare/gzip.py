"""gzip for answers built around large parts read from the cache, without compressing those
parts again on every request.

A cached part (programs/page_cache.py) is kept with its compressed form: deflate blocks
that end on a full flush, so that they refer to nothing before them and can stand between
other blocks as they are. An answer that contains such parts compresses only what lies
around them and joins the pieces into one gzip stream, its checksum and length taken over
the whole answer. Like Django's own middleware, whose place this takes, it leaves short,
streamed and already encoded answers alone, and puts a file name of random length in the
header, so that the compressed size tells nothing of a secret on the page (BREACH).
"""

import secrets
import struct
import zlib

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers

LEVEL = 6  # as Django's own
# Smaller parts cost less to compress than to find in the answer.
SMALLEST_PART = 2048
_RAW = -zlib.MAX_WBITS  # deflate blocks without a header of their own


def packed(text: str) -> bytes:
    """A part's compressed form, made once and kept beside it."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, _RAW)
    return compressor.compress(text.encode()) + compressor.flush(zlib.Z_FULL_FLUSH)


def _deflate(data: bytes, last: bool) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, _RAW)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH
    )


def _header(max_random_bytes: int) -> bytes:
    """gzip's header with the FNAME flag and a name of random length, as django.utils.text
    has it: the length is what hides the size of the rest."""
    name = b"a" * secrets.randbelow(max_random_bytes)
    return b"\x1f\x8b\x08\x08" + b"\x00\x00\x00\x00" + b"\x00\xff" + name + b"\x00"


def joined(content: bytes, parts: list[tuple[str, bytes]], max_random_bytes: int) -> bytes:
    """`content` gzipped, each of `parts` (text, packed) found in it taken as packed."""
    found = []
    for text, blocks in parts:
        raw = text.encode()
        start = content.find(raw)
        if start >= 0:
            found.append((start, start + len(raw), blocks))
    pieces = [_header(max_random_bytes)]
    position = 0
    for start, end, blocks in sorted(found, key=lambda part: part[0]):
        if start < position:
            continue  # overlaps a part placed already: compressed with the rest instead
        pieces += [_deflate(content[position:start], last=False), blocks]
        position = end
    pieces.append(_deflate(content[position:], last=True))
    pieces.append(struct.pack("<II", zlib.crc32(content), len(content) & 0xFFFFFFFF))
    return b"".join(pieces)


class GZipMiddleware(DjangoGZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        parts = getattr(request, "packed_parts", None)
        if (
            not parts
            or response.streaming
            or len(response.content) < 200
            or response.has_header("Content-Encoding")
        ):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = joined(response.content, parts, self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
