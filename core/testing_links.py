"""A link walk for tests: follow every link a page shows, as one reader, and report those that fail.

The rules are those of ``../shared/tools/crawl`` (the script run by hand against a server), applied
with Django's test client: breadth first from a start page, GET only, same-site links only, never
logout nor anything that deletes. Each link must answer 200, or redirect to a page that does, or
be a download that works (200, the content type its name promises, the bytes of that kind of file);
no page may show the text of an error page, nor "None" as a whole text. A link that sends its
reader to the login page is one the reader cannot open (but a visitor's home, "/", is the login page).

To cover the variety of pages rather than 140 months of one page, links are grouped by the name of
their URL pattern: a pattern not yet visited goes first, and at most ``per_pattern`` URLs of one
pattern are visited (their links followed). On the lists named in ``check_every_link_on`` more
links are requested, without following theirs: up to ``probe_per_pattern`` of each kind, spread over
the list. Downloads are capped (PDFs are slow to render).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import Resolver404, resolve

# As the crawl script: never log out, never delete, never an admin history or delete page.
SKIP = re.compile(r"(logout|dang-xuat|/admin/.*/(delete|history)/|xoa|delete)", re.IGNORECASE)

# Words of Django's debug and default error pages and of the portal's own (templates/404.html,
# 500.html, 400.html). Not "Không tìm thấy" alone: an empty search result says it legitimately.
ERROR_WORDS = (
    "Traceback",
    "Server Error",
    "Page not found",
    "Exception Value",
    "TemplateSyntaxError",
    "TemplateDoesNotExist",
    "NoReverseMatch",
    "Không tìm thấy trang",
    "Lỗi máy chủ",
    "Yêu cầu không hợp lệ",
)

# What a download's name promises: the start of its content type and of its bytes.
DOWNLOADS = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    ".zip": ("application/zip", b"PK"),
    ".csv": ("text/csv", b""),
    ".json": ("application/json", b""),
}
MAGIC = dict(DOWNLOADS.values())  # content type → the start of its bytes


@dataclass(frozen=True)
class BadLink:
    persona: str
    page: str  # the page that showed the link ("" for the start)
    link: str
    problem: str

    def __str__(self) -> str:
        return f"{self.persona}: {self.link} (trên {self.page or 'trang đầu'}): {self.problem}"


@dataclass
class Walk:
    persona: str
    visited: list[str] = field(default_factory=list)
    patterns: Counter = field(default_factory=Counter)  # URL pattern name → URLs visited
    bad: list[BadLink] = field(default_factory=list)
    probes: int = 0  # links past their pattern's cap, requested because a list showed them
    downloads: int = 0


class _Page(HTMLParser):
    """The links of a page (``a href`` and htmx ``hx-get``) and its visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if values.get("hx-get"):
            self.links.append(values["hx-get"])
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def pattern_of(path: str) -> str:
    """The name of the URL pattern ``path`` resolves to ("?" when it resolves to none)."""
    try:
        match = resolve(path)
    except Resolver404:
        return "?"
    return match.view_name or match._func_path


def _extension(path: str) -> str:
    dot = path.rfind(".")
    return path[dot:].lower() if dot > path.rfind("/") else ""


class LinkWalker:
    """Walk the portal with ``client``, logged in as ``persona`` (``anonymous``: not logged in).
    ``page_limit`` counts the pages whose links are followed."""

    def __init__(
        self,
        client: Client,
        persona: str,
        *,
        page_limit: int = 150,
        per_pattern: int = 3,
        download_limit: int = 4,
        pdf_limit: int = 2,
        check_every_link_on: frozenset[str] = frozenset(),
        probe_per_pattern: int = 10,
        probe_limit: int = 60,
        anonymous: bool = False,
    ):
        self.client = client
        self.page_limit = page_limit
        self.per_pattern = per_pattern
        self.download_limit = download_limit
        self.pdf_limit = pdf_limit
        self.check_every_link_on = check_every_link_on
        self.probe_per_pattern = probe_per_pattern
        self.probe_limit = probe_limit
        self.anonymous = anonymous
        self.walk = Walk(persona=persona)
        self._pdfs = 0

    def run(self, start: str = "/") -> Walk:
        walk = self.walk
        seen = {start}  # queued once
        done: set[str] = set()  # requested
        check_all: set[str] = set()  # links of a list in ``check_every_link_on``: each is requested
        fresh: deque[tuple[str, str]] = deque([(start, "")])  # patterns not visited yet come first
        again: deque[tuple[str, str]] = deque()
        while (fresh or again) and len(walk.visited) < self.page_limit:
            url, page = fresh.popleft() if fresh else again.popleft()
            if url in done:
                continue
            path = urlsplit(url).path
            pattern = pattern_of(path)
            follow = walk.patterns[pattern] < self.per_pattern
            if follow and walk.patterns[pattern] and fresh:
                again.append((url, page))  # another of a known kind: after every new kind
                continue
            if not follow and (url not in check_all or walk.probes >= self.probe_limit):
                continue
            if not self._may_download(path):
                continue
            done.add(url)
            if follow:
                walk.patterns[pattern] += 1
                walk.visited.append(url)
            else:
                walk.probes += 1  # requested and checked, its links not followed
            final, hrefs = self._open(url, page)
            if not follow:
                continue
            links = self._same_site(hrefs, base=final)
            if pattern in self.check_every_link_on and walk.patterns[pattern] == 1:
                checked = self._spread(links)
                check_all.update(checked)
                again.extend((link, url) for link in checked if link in seen and link not in done)
            for link in links:
                if link not in seen:
                    seen.add(link)
                    fresh.append((link, url))
        return walk

    def _spread(self, links: list[str]) -> list[str]:
        """Of each pattern's links on a list, ``probe_per_pattern`` spread from the first row to the
        last (a long list has the same link on every row; a wrong one is rarely alone)."""
        by_pattern: dict[str, list[str]] = {}
        for link in dict.fromkeys(links):
            by_pattern.setdefault(pattern_of(urlsplit(link).path), []).append(link)
        chosen = []
        for group in by_pattern.values():
            if len(group) <= self.probe_per_pattern:
                chosen.extend(group)
            else:
                step = (len(group) - 1) / (self.probe_per_pattern - 1)
                chosen.extend(group[round(i * step)] for i in range(self.probe_per_pattern))
        return chosen

    def _may_download(self, path: str) -> bool:
        extension = _extension(path)
        if extension not in DOWNLOADS:
            return True
        pdf = extension == ".pdf"
        if self.walk.downloads >= self.download_limit or (pdf and self._pdfs >= self.pdf_limit):
            return False
        self.walk.downloads += 1
        self._pdfs += pdf
        return True

    def _bad(self, page: str, link: str, problem: str) -> None:
        self.walk.bad.append(BadLink(self.walk.persona, page, link, problem))

    def _open(self, url: str, page: str) -> tuple[str, list[str]]:
        """Request ``url``; record what is wrong with it. Returns the final URL and, for an HTML
        page that answered 200, the links it shows."""
        try:
            response = self.client.get(url, follow=True)
        except Exception as error:  # noqa: BLE001 (a view that raises is what the walk looks for)
            self._bad(page, url, f"{type(error).__name__}: {error}")
            return url, []
        final = url
        if response.redirect_chain:
            final = urljoin(url, response.redirect_chain[-1][0])
        # Reading a file's stream to its end closes it (the test client wraps it so).
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code != 200:
            self._bad(page, url, f"trả lời {response.status_code}")
            return final, []
        if self._sent_to_login(url, final, response.redirect_chain):
            self._bad(page, url, "chuyển sang trang đăng nhập: người đọc không mở được")
            return final, []
        content_type = response.get("Content-Type", "")
        if _extension(urlsplit(url).path) in DOWNLOADS or not content_type.startswith("text/html"):
            self._check_download(page, url, content_type, body)
            return final, []
        text = body.decode(response.charset or "utf-8", "replace")
        parsed = _Page()
        parsed.feed(text)
        visible = "\n".join(parsed.texts)
        for word in ERROR_WORDS:
            if word in visible:
                self._bad(page, url, f"trang có chữ «{word}»")
        if "None" in parsed.texts:
            self._bad(page, url, "trang hiện chữ «None»")
        return final, parsed.links

    def _sent_to_login(self, url: str, final: str, redirects: list) -> bool:
        """A link that needs a login the reader does not have. A visitor's home ("/") is the login
        page: the portal's name in the header may lead there."""
        if not redirects or urlsplit(final).path != resolve_url(settings.LOGIN_URL):
            return False
        return not (self.anonymous and urlsplit(url).path == resolve_url("home"))

    def _check_download(self, page: str, url: str, content_type: str, body: bytes) -> None:
        extension = _extension(urlsplit(url).path)
        expected, magic = DOWNLOADS.get(extension, (None, MAGIC.get(content_type.split(";")[0], b"")))
        if expected and not content_type.startswith(expected):
            self._bad(page, url, f"tải về với kiểu {content_type!r}, cần {expected!r}")
        elif not body or not body.startswith(magic):
            self._bad(page, url, f"tệp {content_type!r} rỗng hoặc hỏng")

    @staticmethod
    def _same_site(hrefs: list[str], *, base: str) -> list[str]:
        """The links to follow: on this site, not skipped, without their #fragment."""
        links = []
        for href in hrefs:
            absolute = urljoin(base, href.strip())
            parts = urlsplit(absolute)
            if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
                continue
            if SKIP.search(parts.path) or parts.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
                continue
            links.append(urlunsplit(("", "", parts.path, parts.query, "")))
        return links
