"""hospital-kg: a knowledge graph of Chinese hospital accreditations and partnerships."""

from .builder import build_graph
from .errors import DataError
from .project import Project

__all__ = ["DataError", "Project", "build_graph"]
__version__ = "0.1.0"
