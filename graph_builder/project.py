"""Where the ontology, data, queries and build output live.

Everything is relative to one root (the repository, or `--root` / HOSPITAL_KG_ROOT),
so tests can point the whole tool at a scratch copy of the data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph_builder.errors import UsageError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, root: Path | str | None = None) -> Project:
        """The project at `root`, else $HOSPITAL_KG_ROOT, else this checkout; it must exist."""
        chosen = Path(root or os.environ.get("HOSPITAL_KG_ROOT") or PACKAGE_ROOT)
        try:
            resolved = chosen.resolve()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
            raise UsageError(f"project root {chosen}: {exc} (--root, HOSPITAL_KG_ROOT)") from exc
        project = cls(resolved)
        project.check()
        return project

    def check(self) -> None:
        """A root that is missing or a file is a usage error, before any command reads it."""
        if not self.root.exists():
            raise UsageError(f"project root {self.root} does not exist (--root, HOSPITAL_KG_ROOT)")
        if not self.root.is_dir():
            raise UsageError(
                f"project root {self.root} is not a directory (--root, HOSPITAL_KG_ROOT)"
            )

    @property
    def ontology(self) -> Path:
        return self.root / "ontology" / "hospital-kg.ttl"

    @property
    def shapes(self) -> Path:
        return self.root / "ontology" / "shapes.ttl"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def graph_file(self) -> Path:
        return self.build_dir / "hospital-kg.ttl"
