"""The README documents every command and every option, each command with an example."""

from __future__ import annotations

import re

import pytest
import typer

from graph_builder.cli.app import app
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
GLOBAL = {"--root", "--help"}  # documented once, for every command, under "Command line"


def section(command: str) -> str:
    """The README section (### heading to the next heading) whose title names `command`."""
    parts = re.split(r"^(###? .*)$", README, flags=re.M)
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        if heading.startswith("### ") and command in re.findall(r"[\w-]+", heading):
            return body
    raise AssertionError(f"README has no '### {command}' section")


def options(command: str) -> list[str]:
    return [
        opt
        for param in COMMANDS[command].params
        for opt in param.opts
        if opt.startswith("--") and opt not in GLOBAL
    ]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_a_section_with_a_runnable_example(command: str) -> None:
    assert re.search(rf"^hospital-kg {command}\b", section(command), flags=re.M)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_option_is_documented_in_its_command_section(command: str) -> None:
    body = section(command)
    missing = [opt for opt in options(command) if not re.search(rf"{opt}(?![\w-])", body)]
    assert not missing, f"{command}: README section does not mention {missing}"


def test_global_options_are_documented() -> None:
    intro = README.split("## Command line", 1)[1].split("### ", 1)[0]
    assert "--root" in intro and "--help" in intro


def test_the_python_example_runs(tmp_path) -> None:
    """The README's notebook example, run as written (the national graph made small)."""
    from graph_builder.ingest.synthetic import synthetic_graph
    from graph_builder.rdf.export import export_graph

    block = README.split("### From Python", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    national = tmp_path / "national.nt"
    export_graph(synthetic_graph(20, 1), "nt", national)
    namespace: dict[str, object] = {}
    exec(compile(block.replace("build/national.nt", str(national)), "README.md", "exec"), namespace)
    kg2, memory = namespace["kg2"], namespace["g"]
    assert namespace["rows"] and len(kg2.graph) > len(memory)  # type: ignore[attr-defined]
