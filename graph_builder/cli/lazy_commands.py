"""Commands imported when they are run, not when `hospital-kg` starts.

Importing every command's module (rdflib's SPARQL parser, networkx, pyvis, pypinyin ...)
took a second of CPU at each start, for any command, `--help` and a mistyped name
included. The root group holds a table of command names and the module that registers
each; a command's module is imported the first time click asks for it by name. Listing
the commands with their help (`hospital-kg --help`) imports them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:  # typer 0.29 carries its own click; its groups hold these commands
    from typer._click import Command


def commands_of(module_name: str) -> dict[str, Command]:
    """The commands the module `module_name` registers (its `register(app)`), by name."""
    sub = typer.Typer(add_completion=False)
    importlib.import_module(module_name).register(sub)
    return dict(typer.main.get_group(sub).commands)


class LazyCommands(MutableMapping[str, "Command"]):
    """Command name -> click command, importing its module (`register(app)`) on first use."""

    def __init__(self, modules: Mapping[str, str]) -> None:
        self._modules = dict(modules)
        self._loaded: dict[str, Command] = {}

    def _load(self, module_name: str) -> None:
        for name, command in commands_of(module_name).items():
            if self._modules.get(name) != module_name:
                raise RuntimeError(f"{module_name} registers {name!r}, which the table lacks")
            self._loaded[name] = command

    def __getitem__(self, name: str) -> Command:
        if name not in self._loaded and name in self._modules:
            self._load(self._modules[name])
            if name not in self._loaded:
                raise RuntimeError(f"{self._modules[name]} does not register {name!r}")
        return self._loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._loaded[name] = command
        self._modules.setdefault(name, command.callback.__module__ if command.callback else "")

    def __delitem__(self, name: str) -> None:
        del self._modules[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __contains__(self, name: object) -> bool:
        return name in self._modules


def lazy_group(modules: Mapping[str, str]) -> type[TyperGroup]:
    """A TyperGroup class whose commands are `modules` (name -> module), imported on use."""

    class LazyGroup(TyperGroup):
        def __init__(self, **attrs: Any) -> None:
            super().__init__(**attrs)
            self.commands = LazyCommands(modules)

    return LazyGroup
