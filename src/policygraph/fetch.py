"""Fetch a regulation from an http(s) URL with httpx: timeouts, a size limit, redirects followed, the
declared charset kept, and one-line errors for what goes wrong (404, time-out, too large, not a document).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx

from .errors import InputError

MAX_BYTES = int(os.environ.get("POLICYGRAPH_FETCH_MAX_BYTES", 50 * 1024 * 1024))
TIMEOUT = float(os.environ.get("POLICYGRAPH_FETCH_TIMEOUT", 20.0))
MAX_REDIRECTS = 5
# What a regulation is published as; anything else (images, video, executables) is refused unread.
_DOCUMENT_TYPES = ("text/", "application/pdf", "application/msword", "application/vnd.openxmlformats",
                   "application/ofd", "application/xhtml", "application/xml", "application/octet-stream",
                   "application/zip", "application/x-zip", "application/vnd.ms-works", "application/wps",
                   "multipart/related", "message/rfc822", "application/x-mimearchive", "application/vnd.ofd")
_USER_AGENT = "policygraph (+https://w3id.org/policygraph)"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    charset: str | None
    is_html: bool


_CACHE: dict[str, Fetched] = {}


def fetch(url: str, *, timeout: float | None = None, max_bytes: int | None = None) -> Fetched:
    """GET ``url``; the body, or InputError naming the URL and the problem. A URL fetched once in this
    process is not fetched again (the CLI checks URLs before it loads them)."""
    if url in _CACHE:
        return _CACHE[url]
    limit = MAX_BYTES if max_bytes is None else max_bytes
    try:
        with httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout or TIMEOUT,
                          headers={"User-Agent": _USER_AGENT}) as client, client.stream("GET", url) as response:
            _check_status(url, response)
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind and not kind.startswith(_DOCUMENT_TYPES):
                raise InputError(url, f"not a document (the server sent {kind})")
            declared = int(response.headers.get("content-length") or 0)
            if declared > limit:
                raise InputError(url, f"too large ({declared} bytes; the limit is {limit})")
            content = _read_limited(url, response, limit)
            page = Fetched(str(response.url), content, response.charset_encoding, kind in ("text/html",
                                                                                            "application/xhtml+xml"))
    except httpx.TimeoutException:
        raise InputError(url, f"timed out after {timeout or TIMEOUT:g} s") from None
    except httpx.TooManyRedirects:
        raise InputError(url, f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.InvalidURL as exc:
        raise InputError(url, f"not a valid URL ({exc})") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot fetch: {type(exc).__name__} {str(exc)[:120]}".strip()) from None
    _CACHE[url] = page
    return page


def _check_status(url: str, response: httpx.Response) -> None:
    if response.status_code == 404:
        raise InputError(url, "not found (HTTP 404)")
    if response.status_code >= 400:
        raise InputError(url, f"the server answered HTTP {response.status_code} {response.reason_phrase}".rstrip())


def _read_limited(url: str, response: httpx.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise InputError(url, f"too large (more than {limit} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)
