"""The `hospital-kg` command: a thin typer layer over the library, one module per group."""

from graph_builder.cli.app import app, main

__all__ = ["app", "main"]
