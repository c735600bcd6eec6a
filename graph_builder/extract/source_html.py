"""Saved web pages: the article's text and headline (trafilatura), its date and address.

trafilatura was chosen over readability-lxml (README, add-report): both find the body of
the test pages, but trafilatura also gives the headline without the site's name, the
canonical address and paragraphs as lines of text, and in precision mode it returns
nothing for a page without an article where readability returns the navigation.
Its date detection is not used (see source_dates).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from lxml.html import HtmlElement

from graph_builder.errors import DataError
from graph_builder.extract.source_dates import FoundDate, labelled_date, leading_day
from graph_builder.ingest.reports import url_problem

if TYPE_CHECKING:
    from trafilatura.settings import Document

# trafilatura and the libraries it drives log a warning for every page they discard;
# with no logging set up Python prints those on stderr, beside our one error line.
for _name in ("trafilatura", "htmldate", "courlan", "readability", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
#: How a page starts, for files whose suffix does not say (browsers sniff the same way).
HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b", re.I | re.S)
#: A charset a page declares in its first bytes (<meta charset>, http-equiv, <?xml?>).
CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
PRESCAN_BYTES = 4096
#: The address a browser notes when it saves a page (`<!-- saved from url=(0045)https://... -->`).
SAVED_FROM = re.compile(r"<!-- saved from url=\(\d+\)(\S+?) -->")
#: Metadata that names a page's publication date (name, property or itemprop, lower case).
DATE_META = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "og:release_date",
        "pubdate",
        "publishdate",
        "publish_date",
        "publish-date",
        "publication_date",
        "datepublished",
        "dc.date",
        "dc.date.issued",
        "dcterms.issued",
        "dcterms.date",
        "date",
    }
)
#: Fewer characters of prose than this is no article (a breadcrumb, a caption, a form).
MIN_ARTICLE_CHARS = 30
NO_ARTICLE = (
    "no article in the page (only navigation, links or under {n} characters of text); "
    "save the article's text as a .txt file and add that"
)


@dataclass(frozen=True)
class Article:
    """What a page holds: the article as text (headline first), and what it says about it."""

    text: str
    title: str
    url: str | None
    date: FoundDate | None


def is_html(path: Path, data: bytes) -> bool:
    """An HTML page by its suffix, or by how it starts."""
    return (
        path.suffix.lower() in HTML_SUFFIXES or HTML_START.match(data[:PRESCAN_BYTES]) is not None
    )


def declared_charset(data: bytes) -> str | None:
    """The charset the page's first bytes declare, if any."""
    match = CHARSET.search(data[:PRESCAN_BYTES])
    return None if match is None else match.group(1).decode("ascii")


def read_article(html: str, path: Path) -> Article:
    """The article of a page: its text with the headline as the first line."""
    tree = _tree(html, path)
    document = _extract(tree, path)
    body = article_body(document.text or "", path)
    title = (document.title or "").strip() or body.split("\n", 1)[0]
    return Article(with_headline(title, body), title, page_url(document.url, html), page_date(tree))


def _tree(html: str, path: Path) -> HtmlElement:
    """The parsed page; trafilatura's loader copes with what browsers save."""
    # imported here, as in _extract: trafilatura takes 70 ms to import, which every
    # other hospital-kg command would pay for
    from trafilatura import load_html

    tree = load_html(html)
    if tree is None:
        raise DataError(path, None, "not an HTML page that can be read")
    return tree


def _extract(tree: HtmlElement, path: Path) -> Document:
    """trafilatura in precision mode: less text rather than the page's navigation."""
    from trafilatura import bare_extraction
    from trafilatura.settings import Document

    try:
        document = bare_extraction(
            tree, favor_precision=True, include_comments=False, with_metadata=True
        )
    except (ValueError, etree.LxmlError) as exc:
        raise DataError(path, None, f"cannot read the page: {exc}") from exc
    if not isinstance(document, Document) or not document.text:
        raise DataError(path, None, NO_ARTICLE.format(n=MIN_ARTICLE_CHARS))
    return document


def article_body(text: str, path: Path) -> str:
    """The extracted text, if it is prose: lines of links (`- ...`) alone are no article."""
    prose = "".join(line for line in text.split("\n") if not line.startswith("- "))
    if len("".join(prose.split())) < MIN_ARTICLE_CHARS:
        raise DataError(path, None, NO_ARTICLE.format(n=MIN_ARTICLE_CHARS))
    return text.strip("\n")


def with_headline(title: str, body: str) -> str:
    """The body with its headline on the first line, unless the body already states it:
    the builder finds a report's title in its text."""
    text = body if title in body else f"{title}\n{body}"
    return text + "\n"


def page_url(found: str | None, html: str) -> str | None:
    """The page's own address (canonical link, og:url, or the note a browser left), if valid."""
    saved = SAVED_FROM.search(html)
    for url in (found, saved.group(1) if saved else None):
        if url and url_problem(url) is None:
            return url
    return None


def page_date(tree: HtmlElement) -> FoundDate | None:
    """The publication day from the page's metadata, else from a labelled line of its text."""
    return meta_date(tree) or labelled_date(visible_text(tree), "page text")


def meta_date(tree: HtmlElement) -> FoundDate | None:
    """The first publication day a <meta> tag or a datePublished element gives."""
    for element in tree.xpath("//meta | //*[@itemprop]"):
        key = _meta_key(element)
        if key in DATE_META:
            value = element.get("content") or element.get("datetime") or element.text_content()
            day = leading_day(value or "")
            if day is not None:
                return FoundDate(day, f"page metadata: {key}")
    return None


def _meta_key(element: HtmlElement) -> str:
    """What a metadata element names (its name, property or itemprop), lower case."""
    if element.tag != "meta" and element.get("itemprop") is None:
        return ""
    return (element.get("name") or element.get("property") or element.get("itemprop") or "").lower()


def visible_text(tree: HtmlElement) -> str:
    """The page's text as shown, without scripts and styles, one text node a line."""
    texts = tree.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
    )
    return "\n".join(str(text) for text in texts)
