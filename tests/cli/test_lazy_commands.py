"""Each command's module is imported when that command runs, and the table says them all."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import pytest
import typer

import graph_builder.cli
from graph_builder.cli.app import COMMANDS, app
from graph_builder.cli.lazy_commands import commands_of
from tests.conftest import REPO


def test_the_table_names_what_each_module_registers() -> None:
    modules = [
        f"graph_builder.cli.{info.name}"
        for info in pkgutil.iter_modules(graph_builder.cli.__path__)
        if hasattr(importlib.import_module(f"graph_builder.cli.{info.name}"), "register")
    ]
    assert sorted(set(COMMANDS.values())) == sorted(modules)
    for module in modules:
        assert list(commands_of(module)) == [n for n, m in COMMANDS.items() if m == module]


def loaded_after(*args: str) -> dict[str, object]:
    """Run the CLI with `args` in a fresh interpreter; which modules did it import?"""
    script = (
        "import json, sys\n"
        "from graph_builder.cli.app import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print(json.dumps({'code': code, 'modules': sorted(sys.modules)}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False
    )
    return json.loads(proc.stdout.splitlines()[-1])


def test_an_unknown_command_imports_no_command() -> None:
    out = loaded_after("no-such-command")
    assert out["code"] == 2
    modules = out["modules"]
    assert isinstance(modules, list)
    assert not set(COMMANDS.values()) & set(modules)
    assert "rdflib" not in modules and "pyoxigraph" not in modules


@pytest.mark.parametrize("command", ["load", "stats", "reconcile"])
def test_a_command_imports_its_own_module_only(command: str) -> None:
    out = loaded_after(command, "--help")
    assert out["code"] == 0
    modules = out["modules"]
    assert isinstance(modules, list)
    assert set(COMMANDS.values()) & set(modules) == {COMMANDS[command]}


def test_help_lists_every_command_in_the_tables_order() -> None:
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    assert isinstance(group, typer.core.TyperGroup)
    assert group.list_commands(ctx) == list(COMMANDS)
    assert all(group.get_command(ctx, name) is not None for name in COMMANDS)
