"""Where the ontology, data, queries and build output live.

Everything is relative to one root (the repository, or `--root` / HOSPITAL_KG_ROOT),
so tests can point the whole tool at a scratch copy of the data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, root: Path | str | None = None) -> Project:
        chosen = root or os.environ.get("HOSPITAL_KG_ROOT") or PACKAGE_ROOT
        return cls(Path(chosen).resolve())

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
