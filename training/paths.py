"""Where the shared data lives: $FACET_SHARED_DIR, else <repo root>/../shared."""

from __future__ import annotations

import os

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shared_dir() -> str:
    """The shared folder holding data/ (read-only)."""
    return os.environ.get("FACET_SHARED_DIR", os.path.join(REPO_ROOT, "..", "shared"))


def data_dir(*parts: str) -> str:
    """A path under <shared>/data."""
    return os.path.join(shared_dir(), "data", *parts)
