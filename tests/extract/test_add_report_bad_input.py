"""Every bad input to `add-report`: one `error:` line, its exit code, nothing written.

Exit code 1 for a file that cannot become a report, 2 for a bad command line (a missing
file, a folder with no reports, an option that does not fit). Texts are fictional.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph_builder.project import Project
from tests.conftest import run_cli

PAGES = Path(__file__).parent / "pages"
NEWS = (
    "青禾市妇幼保健院开展义诊活动\n"
    "（虚构示例新闻，仅供测试。）\n"
    "专家在文昌广场为群众提供免费咨询。\n"
)


@dataclass(frozen=True)
class Case:
    """Files made in a scratch folder (name -> bytes; None makes a folder), the arguments
    after `add-report` ({d} is that folder), the exit code and the error's words."""

    files: dict[str, bytes | None]
    args: tuple[str, ...]
    code: int
    message: str


def news(**replace: str) -> bytes:
    text = NEWS
    for old, new in replace.items():
        text = text.replace(old, new)
    return text.encode("utf-8")


CASES: dict[str, Case] = {
    "empty file": Case({"a.txt": b""}, ("{d}/a.txt",), 1, "{d}/a.txt: empty file"),
    "only spaces": Case({"a.txt": b" \n\t\r\n"}, ("{d}/a.txt",), 1, "{d}/a.txt: empty file"),
    "only a BOM": Case({"a.txt": b"\xef\xbb\xbf\n"}, ("{d}/a.txt",), 1, "{d}/a.txt: empty file"),
    "binary": Case(
        {"a.txt": b"\x01\x02\x00\x03" * 100},
        ("{d}/a.txt",),
        1,
        "{d}/a.txt: not text: a binary file (NUL byte at offset 2)",
    ),
    "a PDF": Case(
        {"report.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"},
        ("{d}/report.txt",),
        1,
        "{d}/report.txt: not text: a PDF document; give a text file or a saved HTML page",
    ),
    "a .docx": Case(
        {"a.txt": b"PK\x03\x04\x14\x00"},
        ("{d}/a.txt",),
        1,
        "{d}/a.txt: not text: a ZIP archive (.docx, .xlsx ...); give a text file or a saved "
        "HTML page",
    ),
    "undecodable": Case(
        {"a.txt": "Hôpital\ncafé au lait\n".encode("latin-1")},
        ("{d}/a.txt",),
        1,
        "{d}/a.txt: cannot decode: not UTF-8 (byte 0xf4 on line 1), GB18030 or Big5 text; "
        "save it as UTF-8",
    ),
    "a UTF-16 mark on odd bytes": Case(
        {"a.txt": b"\xff\xfe\x41"},
        ("{d}/a.txt",),
        1,
        "{d}/a.txt: cannot decode: starts with a UTF-16 mark but is not UTF-16",
    ),
    "a control character": Case(
        {"a.txt": news(专家="专家\x07")},
        ("{d}/a.txt",),
        1,
        "{d}/a.txt:3: control character U+0007; remove it (XML exports cannot carry it)",
    ),
    "a C1 control character": Case(
        {"a.txt": news(专家="专家\x85")},
        ("{d}/a.txt",),
        1,
        "{d}/a.txt:3: control character U+0085; remove it (XML exports cannot carry it)",
    ),
    "a BOM inside": Case(
        {"a.txt": news(专家="专家\ufeff")},
        ("{d}/a.txt",),
        1,
        "{d}/a.txt:3: holds U+FEFF (a byte-order mark); remove it so offsets index the file "
        "exactly",
    ),
    "a first line too long for a title": Case(
        {"a.txt": ("很" * 101 + "\n" + NEWS).encode()},
        ("{d}/a.txt",),
        1,
        "{d}/a.txt: no title: the first line is longer than 100 characters; give --title",
    ),
    "a page without an article": Case(
        {"a.html": (PAGES / "no-article.html").read_bytes()},
        ("{d}/a.html",),
        1,
        "{d}/a.html: no article in the page (only navigation, links or under 30 characters of "
        "text); save the article's text as a .txt file and add that",
    ),
    "a list of headlines": Case(
        {"a.html": (PAGES / "link-list.html").read_bytes()},
        ("{d}/a.html",),
        1,
        "{d}/a.html: no article in the page (only navigation, links or under 30 characters of "
        "text); save the article's text as a .txt file and add that",
    ),
    "an empty page": Case(
        {"a.html": b"<html><body></body></html>"},
        ("{d}/a.html",),
        1,
        "{d}/a.html: no article in the page (only navigation, links or under 30 characters of "
        "text); save the article's text as a .txt file and add that",
    ),
    "over --max-bytes": Case(
        {"a.txt": news()},
        ("{d}/a.txt", "--max-bytes", "100"),
        1,
        f"{{d}}/a.txt: {len(news())} bytes, more than --max-bytes 100 allows",
    ),
    "a missing file": Case({}, ("{d}/missing.txt",), 2, "{d}/missing.txt: no such file or folder"),
    "a folder with no reports": Case(
        {"inbox": None, "inbox/notes.md": b"# notes\n", "inbox/.hidden.txt": news()},
        ("{d}/inbox",),
        2,
        "{d}/inbox: no report files (*.htm, *.html, *.shtml, *.text, *.txt, *.xhtml) in this "
        "folder",
    ),
    "--title not in the text": Case(
        {"a.txt": news()},
        ("{d}/a.txt", "--title", "青禾市人民医院"),
        2,
        "--title: '青禾市人民医院' is not in the text of a.txt; a report's title must be quoted "
        "from it",
    ),
    "--title with a control character": Case(
        {"a.txt": news()},
        ("{d}/a.txt", "--title", "义诊\x1b"),
        2,
        "--title: '义诊\\x1b' is not a title (empty, or control characters)",
    ),
    "--date not a day": Case(
        {"a.txt": news()},
        ("{d}/a.txt", "--date", "2023-02-29"),
        2,
        "--date: '2023-02-29' is not a day (day is out of range for month)",
    ),
    "--date not ISO": Case(
        {"a.txt": news()},
        ("{d}/a.txt", "--date", "2024年3月5日"),
        2,
        "--date: '2024年3月5日' is not written YYYY-MM-DD",
    ),
    "--url not the web": Case(
        {"a.txt": news()},
        ("{d}/a.txt", "--url", "file:///etc/passwd"),
        2,
        "--url: 'file:///etc/passwd' is not an http:// or https:// address",
    ),
    "--url with a space": Case(
        {"a.txt": news()},
        ("{d}/a.txt", "--url", "https://example.org/a b"),
        2,
        "--url: 'https://example.org/a b' holds a space",
    ),
    "--id not a slug": Case(
        {"a.txt": news()},
        ("{d}/a.txt", "--id", "Qinghe_2024"),
        2,
        "--id: 'Qinghe_2024' must be lower-case ASCII words joined by '-'",
    ),
    "--id taken": Case(
        {"a.txt": news()},
        ("{d}/a.txt", "--id", "jiaozuo-mch-2024"),
        2,
        "--id: report 'jiaozuo-mch-2024' exists ({root}/data/reports/jiaozuo-mch-2024.yaml); "
        "choose another",
    ),
    "--id for two files": Case(
        {"a.txt": news(), "b.txt": news(义诊="体检")},
        ("{d}/a.txt", "{d}/b.txt", "--id", "qinghe-2024"),
        2,
        "--id describes one report, but 2 files were given; add that one on its own",
    ),
    "--date for a folder": Case(
        {"inbox": None, "inbox/a.txt": news(), "inbox/b.txt": news(义诊="体检")},
        ("{d}/inbox", "--date", "2024-03-05"),
        2,
        "--date describes one report, but 2 files were given; add that one on its own",
    ),
    "--max-bytes 0": Case(
        {"a.txt": news()},
        ("{d}/a.txt", "--max-bytes", "0"),
        2,
        "--max-bytes: Input should be greater than or equal to 1 (see hospital-kg add-report "
        "--help)",
    ),
    "--jobs 0": Case(
        {"a.txt": news()},
        ("{d}/a.txt", "--jobs", "0"),
        2,
        "--jobs: Input should be greater than or equal to 1 (see hospital-kg add-report --help)",
    ),
}


def snapshot(project: Project) -> dict[str, bytes]:
    """Every file under data/, with its bytes: what must not change."""
    return {
        str(path.relative_to(project.root)): path.read_bytes()
        for path in sorted(project.data_dir.rglob("*"))
        if path.is_file()
    }


def make_files(folder: Path, files: dict[str, bytes | None]) -> None:
    for name, data in files.items():
        path = folder / name
        if data is None:
            path.mkdir(parents=True)
        else:
            path.write_bytes(data)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_line_and_writes_nothing(
    name: str, scratch: Project, tmp_path: Path
) -> None:
    case = CASES[name]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    make_files(inputs, case.files)
    before = snapshot(scratch)
    args = [arg.format(d=inputs) for arg in case.args]
    result = run_cli("add-report", "--root", str(scratch.root), *args)
    expected = "error: " + case.message.format(d=inputs, root=scratch.root)
    assert (result.returncode, result.stdout, result.stderr.splitlines()) == (
        case.code,
        "",
        [expected],
    )
    assert snapshot(scratch) == before


def test_a_50_mb_file_is_refused_before_it_is_read(scratch: Project, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: 50 MB long, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    before = snapshot(scratch)
    result = run_cli("add-report", "--root", str(scratch.root), str(big))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {big}: 52,428,800 bytes, more than --max-bytes 5,000,000 allows"
    ]
    assert snapshot(scratch) == before


def test_a_file_at_the_limit_is_taken(scratch: Project, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(news())
    size = str(os.path.getsize(path))
    result = run_cli("add-report", "--root", str(scratch.root), str(path), "--max-bytes", size)
    assert result.returncode == 0, result.stderr
