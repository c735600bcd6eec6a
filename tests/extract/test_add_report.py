"""`hospital-kg add-report` as a user runs it, on a scratch copy of the project.

The pages are fictional news pages written for these tests (pages/README.md); the texts
are short fictional news items. After adding, the project must still build and validate.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from graph_builder.project import Project
from tests.conftest import on_terminal, run_cli

PAGES = Path(__file__).parent / "pages"
ARTICLES = ("qinghe-mch-utf8.html", "yunling-gbk.html", "cuihu-big5.html")
NEWS = (
    "青禾市妇幼保健院开展义诊活动\n"
    "（虚构示例新闻，仅供测试。）\n"
    "3月5日，青禾市妇幼保健院组织专家在文昌广场开展义诊活动，为两百余名群众提供免费咨询。\n"
)


def add(project: Project, *args: str) -> tuple[int, str, str]:
    result = run_cli("add-report", "--root", str(project.root), *args)
    return result.returncode, result.stdout, result.stderr


def reports(project: Project) -> dict[str, bytes]:
    folder = project.data_dir / "reports"
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def metadata(project: Project, ident: str) -> dict:
    return yaml.safe_load((project.data_dir / "reports" / f"{ident}.yaml").read_text("utf-8"))


def test_a_saved_page_becomes_a_report(scratch: Project) -> None:
    code, out, err = add(scratch, str(PAGES / "qinghe-mch-utf8.html"))
    assert (code, err) == (0, "")
    ident = "qinghe-mch-2024"
    assert f"added report {ident} from qinghe-mch-utf8.html" in out
    assert "read as   html, encoding utf-8" in out
    assert "date      2024-12-30 (page text: 发布时间)" in out
    meta = metadata(scratch, ident)
    assert meta == {
        "id": ident,
        "text": f"{ident}.txt",
        "title": "青禾市妇幼保健院通过三级甲等妇幼保健院复审",
        "date": dt.date(2024, 12, 30),
        "url": "https://news.example.org/hospital/2024/12/30/qinghe.html",
        "source": "qinghe-mch-utf8.html",
        "format": "html",
        "encoding": "utf-8",
        "added": dt.date.today(),
    }
    text = (scratch.data_dir / "reports" / f"{ident}.txt").read_bytes()
    assert text.startswith("青禾市妇幼保健院通过三级甲等妇幼保健院复审\n".encode())
    assert b"\r" not in text and not text.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("encoding", "found", "ends"),
    [
        ("utf-8", "utf-8", "\n"),
        ("utf-8-sig", "utf-8-sig", "\r\n"),
        ("gbk", "gb18030", "\r\n"),
        ("gb18030", "gb18030", "\r"),
    ],
)
def test_a_text_file_is_stored_as_utf8_with_lf_and_nothing_else_changed(
    scratch: Project, tmp_path: Path, encoding: str, found: str, ends: str
) -> None:
    path = tmp_path / "义诊.txt"
    path.write_bytes(NEWS.replace("\n", ends).encode(encoding))
    code, out, err = add(scratch, str(path), "--date", "2024-03-05", "--id", "qinghe-clinic-2024")
    assert (code, err) == (0, "")
    assert f"read as   text, encoding {found}" in out
    stored = scratch.data_dir / "reports" / "qinghe-clinic-2024.txt"
    assert stored.read_bytes() == NEWS.encode("utf-8")
    meta = metadata(scratch, "qinghe-clinic-2024")
    assert (meta["title"], meta["date"], meta["encoding"], meta["source"]) == (
        "青禾市妇幼保健院开展义诊活动",
        dt.date(2024, 3, 5),
        found,
        "义诊.txt",
    )


def test_options_override_what_the_page_says(scratch: Project) -> None:
    code, out, err = add(
        scratch,
        str(PAGES / "cuihu-big5.html"),
        "--title",
        "翠湖市婦幼保健院",
        "--date",
        "2024-03-09",
        "--url",
        "https://example.org/cuihu",
        "--id",
        "cuihu-mch-2024",
    )
    assert (code, err) == (0, "")
    meta = metadata(scratch, "cuihu-mch-2024")
    assert (meta["title"], meta["date"], meta["url"], meta["encoding"]) == (
        "翠湖市婦幼保健院",
        dt.date(2024, 3, 9),
        "https://example.org/cuihu",
        "big5",
    )
    assert "date      2024-03-09 (--date)" in out


def test_added_reports_build_and_validate(scratch: Project, tmp_path: Path) -> None:
    for name in ARTICLES:
        assert add(scratch, str(PAGES / name))[0] == 0
    built = run_cli("build", "--root", str(scratch.root), "--output", str(tmp_path / "kg.ttl"))
    assert built.returncode == 0, built.stderr
    turtle = (tmp_path / "kg.ttl").read_text("utf-8")
    assert 'dcterms:date "2024-12-30"^^xsd:date' in turtle
    assert (
        'schema:url "https://news.example.org/hospital/2024/12/30/qinghe.html"^^xsd:anyURI'
        in turtle
    )
    validated = run_cli("validate", "--root", str(scratch.root))
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "SHACL: conforms" in validated.stdout and "OWL: consistent" in validated.stdout


def test_a_report_already_present_is_refused_with_one_line(scratch: Project) -> None:
    page = str(PAGES / "yunling-gbk.html")
    assert add(scratch, page)[0] == 0
    before = reports(scratch)
    code, out, err = add(scratch, page, "--id", "another-id")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: tests/extract/pages/yunling-gbk.html: already present as "
        f"{scratch.data_dir}/reports/yunling-ren-min-yi-yuan-2023.txt (same text)"
    ]
    assert reports(scratch) == before


def test_a_seed_report_is_already_present(scratch: Project, tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes((scratch.data_dir / "reports" / "jiaozuo-mch-2024.txt").read_bytes())
    code, _, err = add(scratch, str(copy))
    assert code == 1 and "already present as" in err and "jiaozuo-mch-2024.txt" in err


def test_a_folder_adds_the_good_files_and_names_the_failures(
    scratch: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in (*ARTICLES, "no-article.html"):
        (folder / name).write_bytes((PAGES / name).read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.md").write_text("not a report file", "utf-8")  # not taken from a folder
    (folder / "page_files").mkdir()  # what a browser saves beside a page: not entered
    (folder / "page_files" / "frame.html").write_bytes(b"<html></html>")
    assert add(scratch, str(PAGES / "yunling-gbk.html"))[0] == 0

    code, out, err = add(scratch, str(folder), "--jobs", "2")
    assert code == 1
    assert out.count("added report ") == 2
    assert "skipped yunling-gbk.html: already present as" in out
    assert sorted(err.splitlines()) == [
        "error: 2 added, 1 skipped as already present, 2 failed: empty.txt, no-article.html",
        f"failed {folder}/empty.txt: empty file",
        f"failed {folder}/no-article.html: no article in the page (only navigation, links or "
        "under 30 characters of text); save the article's text as a .txt file and add that",
    ]
    assert {
        "qinghe-mch-2024.yaml",
        "cuihu-fu-you-bao-jian-yuan-2024.yaml",
    } < set(reports(scratch))


def test_a_folder_of_good_files_ends_with_its_summary(scratch: Project, tmp_path: Path) -> None:
    code, out, err = add(scratch, str(PAGES / ARTICLES[0]), str(PAGES / ARTICLES[1]))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "2 added, 0 skipped as already present, 0 failed"
    code, out, err = add(scratch, str(PAGES / ARTICLES[0]), str(PAGES / ARTICLES[1]))
    assert (code, err) == (0, "")  # running it again skips both: a folder can be re-added
    assert out.splitlines()[-1] == "0 added, 2 skipped as already present, 0 failed"


def test_workers_give_the_same_reports_as_one_process(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for n in range(6):  # the same title six times: ids numbered in the order given
        (folder / f"news-{n}.txt").write_text(NEWS + f"第{n}段。\n", "utf-8")
    results = []
    for jobs in ("1", "2"):
        project = Project(tmp_path / f"jobs-{jobs}")
        (project.data_dir / "reports").mkdir(parents=True)
        code, _, err = add(project, str(folder), "--jobs", jobs)
        assert code == 0, err
        results.append(
            {name: body for name, body in reports(project).items() if name.endswith(".txt")}
        )
    assert results[0] == results[1]
    assert sorted(results[0]) == sorted(
        [
            "qinghe-fu-you-bao-jian-yuan.txt",  # no glossary in this project: no `mch`
            *[f"qinghe-fu-you-bao-jian-yuan-{n}.txt" for n in range(2, 7)],
        ]
    )
    assert results[0]["qinghe-fu-you-bao-jian-yuan-3.txt"].endswith("第2段。\n".encode())


def test_a_progress_bar_only_on_a_terminal(scratch: Project) -> None:
    """Run with stderr on a pseudo-terminal: the bar is drawn there, and cleared."""
    proc, drawn = on_terminal(
        "add-report", "--root", str(scratch.root), *(str(PAGES / n) for n in ARTICLES), timeout=120
    )
    assert proc.returncode == 0
    assert "reading" in drawn and "3/3" in drawn
    assert "reading" not in proc.stdout.decode()
