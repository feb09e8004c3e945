"""Text and metadata out of a plain-text, HTML or PDF file, for `add-source`.

The text is what goes into seeds/ and is never edited afterwards, so extraction keeps
every word, in order, and changes only what no reader sees: HTML markup, invisible
characters (soft hyphens, zero-width spaces), and runs of blank lines. PDF text comes
from pypdf, HTML text from beautifulsoup4 (the whole page, not a guess at the "main
content": a blog's comments are evidence too).
"""
from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

# invisible characters that would split a word for the quote matcher
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class ExtractError(Exception):
    pass


@dataclass
class Extracted:
    kind: str                       # "text", "html" or "pdf"
    text: str
    # proposed metadata: field -> (value, where it was found)
    found: dict[str, tuple[object, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    pages: int | None = None

    def propose(self, key: str, value: object, origin: str) -> None:
        if value and key not in self.found:
            self.found[key] = (value, origin)


def clean_text(text: str) -> str:
    """Line ends to \\n, invisible characters out, trailing spaces and runs of blank
    lines trimmed. Words, punctuation and their order are never touched."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.translate(_INVISIBLE).replace("\u00a0", " ")
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def normalize_date(value: object) -> str | None:
    """A date as YYYY, YYYY-MM or YYYY-MM-DD, from what metadata tends to hold."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d")
    s = str(value).strip()
    m = _DATE.match(s)
    if m:
        y, mo, d = m.groups()
        if mo and not 1 <= int(mo) <= 12:
            return None
        if d and not 1 <= int(d) <= 31:
            return None
        return "-".join(p for p in (y, mo, d) if p)
    if s.startswith("D:") and len(s) >= 6 and s[2:6].isdigit():  # a raw PDF date string
        y, mo, d = s[2:6], s[6:8], s[8:10]
        parts = [y] + [p for p in (mo, d) if p.isdigit() and len(p) == 2]
        return normalize_date("-".join(parts))
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %Y"):
        try:
            dt = datetime.strptime(s, fmt)
        except ValueError:
            continue
        return dt.strftime("%Y-%m" if fmt == "%B %Y" else "%Y-%m-%d")
    return None


def sniff(path: Path, head: bytes) -> str:
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".html", ".htm", ".xhtml", ".shtml"):
        return "html"
    low = head[:2048].lower()
    if b"<html" in low or b"<!doctype html" in low:
        return "html"
    return "text"


def read_bounded(path: Path, max_bytes: int | None) -> bytes:
    """The file's bytes, refused before reading when it is not a regular file or is over
    `max_bytes` (and never more than max_bytes + 1 read, should it grow meanwhile)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise ExtractError(f"{path}: not a regular file")
        if max_bytes is not None and st.st_size > max_bytes:
            raise ExtractError(f"{path}: the file is {st.st_size:,} bytes, over the limit of {max_bytes:,} "
                               f"for a source (10 x max_file_bytes in config.yaml); it was not read")
        with open(path, "rb") as fh:
            raw = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    if max_bytes is not None and len(raw) > max_bytes:
        raise ExtractError(f"{path}: the file grew over the limit of {max_bytes:,} bytes while it was read")
    return raw


def extract(path: Path | str, max_bytes: int | None = None) -> Extracted:
    path = Path(path)
    raw = read_bounded(path, max_bytes)
    kind = sniff(path, raw[:4096])
    if kind == "pdf":
        ex = _from_pdf(path, raw)
    elif kind == "html":
        ex = _from_html(raw)
    else:
        ex = _from_text(path, raw)
    if kind != "pdf":
        problem = not_text(ex.text)
        if problem:
            raise ExtractError(f"{path}: this does not look like text ({problem}); a source must be plain text, "
                               f"HTML or PDF")
    ex.text = clean_text(ex.text)
    if not ex.text.strip():
        hint = (" (a scanned PDF has no text layer: run it through OCR first)" if kind == "pdf" else "")
        raise ExtractError(f"{path}: no text found in the file{hint}")
    if "title" not in ex.found:
        first = next((line.strip() for line in ex.text.splitlines() if line.strip()), "")
        if 0 < len(first) <= 200:
            ex.propose("title", first, "the first line of the text")
    return ex


def not_text(text: str) -> str | None:
    """Why decoded `text` is not prose (a binary file renamed .txt, say), or None if it looks like text:
    no NUL, almost no control characters, and mostly letters among what is not white space."""
    if "\x00" in text:
        return "it holds NUL bytes, as binary files do"
    sample = text[:200_000]
    odd = sum(1 for ch in sample if ch not in "\t\n\r\f\v" and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    if odd > 2 + len(sample) // 1000:
        return f"{odd:,} control or unassigned characters in the first {len(sample):,}"
    visible = [ch for ch in sample if not ch.isspace()]
    letters = sum(ch.isalpha() for ch in visible)
    if visible and letters < 0.5 * len(visible):
        return f"only {letters * 100 // len(visible)}% of its characters are letters"
    return None


# ---- plain text -------------------------------------------------------------------
def _from_text(path: Path, raw: bytes) -> Extracted:
    """UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or Windows-1252
    (strict: five of its bytes are unassigned, so random bytes rarely pass); anything else is refused."""
    ex = Extracted("text", "")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            ex.text = raw.decode("utf-16")
            ex.notes.append("the file is UTF-16: the seed is written as UTF-8")
            return ex
        except UnicodeDecodeError:
            raise ExtractError(f"{path}: starts like UTF-16 but does not decode as UTF-16") from None
    try:
        ex.text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            ex.text = raw.decode("cp1252")
            ex.notes.append("the file is not UTF-8: read it as Windows-1252 (check accented letters)")
        except UnicodeDecodeError as exc:
            raise ExtractError(f"{path}: not text in a known encoding (UTF-8, UTF-16 with a byte-order mark, "
                               f"Windows-1252): byte {exc.start} is 0x{raw[exc.start]:02x}; save it as UTF-8") from None
    return ex


# ---- PDF ----------------------------------------------------------------------------
_FILENAME_TITLE = re.compile(r"(^microsoft (word|powerpoint) - )|(\.(docx?|odt|rtf|pdf|indd|pages|txt)$)|^untitled",
                             re.IGNORECASE)


def _from_pdf(path: Path, raw: bytes) -> Extracted:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable files warn a lot
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError(f"{path}: the PDF is encrypted; save an unprotected copy first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ExtractError(f"{path}: cannot read the PDF: {exc}") from None
    ex = Extracted("pdf", "\n\n".join(p.strip("\n") for p in pages), pages=len(pages))
    try:
        meta = reader.metadata
    except Exception:  # noqa: BLE001 - broken metadata must not stop the text
        meta = None
    if meta:
        title = (meta.title or "").strip() if isinstance(meta.title, str) else ""
        if title and _FILENAME_TITLE.search(title):
            ex.notes.append(f"ignored the PDF's metadata title {title!r} (it looks like a file name)")
        else:
            ex.propose("title", title, "PDF metadata: Title")
        author = (meta.author or "").strip() if isinstance(meta.author, str) else ""
        if author:
            ex.propose("authors", [a.strip() for a in re.split(r"\s*;\s*", author) if a.strip()],
                       "PDF metadata: Author")
        try:
            created = meta.creation_date
        except Exception:  # noqa: BLE001 - a malformed date string
            created = None
        date = normalize_date(created) or normalize_date(meta.get("/CreationDate"))
        ex.propose("date", date, "PDF metadata: CreationDate")
    return ex


# ---- HTML ---------------------------------------------------------------------------
_DROP = ("script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
         "nav", "head", "button", "select", "textarea", "input", "map")
_BLOCK = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
          "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
          "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "ol", "p", "pre", "section",
          "summary", "table", "tbody", "tfoot", "thead", "tr", "ul"}
_CELL = {"td", "th"}
_AUTHOR_META = ("author", "dc.creator", "dcterms.creator", "citation_author", "parsely-author",
                "sailthru.author", "byl", "article:author", "twitter:creator")
_DATE_META = ("article:published_time", "citation_publication_date", "citation_date", "dc.date.issued",
              "dcterms.issued", "dc.date", "dcterms.date", "date", "pubdate", "publish-date", "publish_date",
              "parsely-pub-date", "sailthru.date", "og:published_time", "datepublished")
_SITE_META = ("og:site_name", "citation_journal_title", "application-name", "dc.publisher", "dcterms.publisher")


def _from_html(raw: bytes) -> Extracted:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    ex = Extracted("html", "")
    _html_metadata(soup, ex)
    for tag in soup.find_all(list(_DROP)):
        tag.decompose()
    for tag in soup.find_all(attrs={"hidden": True}):
        tag.decompose()
    root = soup.body or soup
    parts: list[str] = []
    _walk(root, parts, pre=False)
    ex.text = "".join(parts)
    # block breaks were written as \n\n; spaces around line ends are layout, not text
    ex.text = re.sub(r"[ \t]*\n[ \t]*", "\n", ex.text)
    return ex


def _walk(node, parts: list[str], pre: bool) -> None:  # type: ignore[no-untyped-def]
    from bs4 import NavigableString, Tag

    for child in node.children:
        if isinstance(child, Tag):
            name = child.name.lower()
            if name == "br":
                parts.append("\n")
                continue
            block = name in _BLOCK
            if block:
                parts.append("\n\n")
            elif name in _CELL:
                parts.append("\t")
            _walk(child, parts, pre or name in ("pre", "textarea"))
            if block:
                parts.append("\n\n")
        elif type(child) is NavigableString:  # not comments, doctype, CDATA...
            s = str(child)
            parts.append(s if pre else re.sub(r"\s+", " ", s))


def _meta(soup, names: tuple[str, ...]) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(content, key) for <meta name|property|itemprop=...> in the order of `names`."""
    found: dict[str, list[str]] = {}
    for m in soup.find_all("meta"):
        content = (m.get("content") or "").strip()
        if not content:
            continue
        for attr in ("name", "property", "itemprop"):
            key = (m.get(attr) or "").strip().lower()
            if key in names:
                found.setdefault(key, []).append(content)
    return [(c, k) for k in names for c in found.get(k, [])]


def _html_metadata(soup, ex: Extracted) -> None:  # type: ignore[no-untyped-def]
    if soup.title and soup.title.get_text(strip=True):
        ex.propose("title", " ".join(soup.title.get_text().split()), "HTML <title>")
    for content, key in _meta(soup, ("og:title", "citation_title", "dc.title")):
        ex.propose("title", " ".join(content.split()), f'<meta {key}>')
    by_key: dict[str, list[str]] = {}
    for content, key in _meta(soup, _AUTHOR_META):
        if content.startswith(("http://", "https://", "@")):
            continue  # a profile address or handle, not a name
        name = re.sub(r"^by\s+", "", " ".join(content.split()), flags=re.IGNORECASE)
        if name and name not in by_key.setdefault(key, []):
            by_key[key].append(name)
    for key, names in by_key.items():  # the first kind of tag that names someone
        if names:
            ex.propose("authors", names, f'<meta {key}>')
            break
    for content, key in _meta(soup, _DATE_META):
        date = normalize_date(content)
        if date:
            ex.propose("date", date, f'<meta {key}>')
            break
    if "date" not in ex.found:
        t = soup.find("time", attrs={"datetime": True})
        if t is not None:
            ex.propose("date", normalize_date(t["datetime"]), "<time datetime>")
    for content, key in _meta(soup, _SITE_META):
        ex.propose("publication", " ".join(content.split()), f'<meta {key}>')
    if "title" in ex.found and "publication" in ex.found:  # "Title | Site name" -> "Title"
        title, origin = ex.found["title"]
        site = re.escape(str(ex.found["publication"][0]))
        short = re.sub(rf"\s+[|\u2013\u2014:-]\s+{site}$", "", str(title))
        if short != title and short.strip():
            ex.found["title"] = (short, f"{origin}, without the site name")
    link = soup.find("link", rel="canonical", href=True)
    if link is not None and str(link["href"]).startswith(("http://", "https://")):
        ex.propose("url", str(link["href"]), '<link rel="canonical">')
    for content, key in _meta(soup, ("og:url",)):
        if content.startswith(("http://", "https://")):
            ex.propose("url", content, f"<meta {key}>")
