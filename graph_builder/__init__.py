"""hospital-kg: a knowledge graph of Chinese hospital accreditations and partnerships."""

from .api import KnowledgeGraph, load
from .builder import build_graph
from .errors import DataError
from .project import Project

__all__ = ["DataError", "KnowledgeGraph", "Project", "build_graph", "load"]
__version__ = "0.1.0"
