"""Shared test setup: one thread (CI has 2 shared cores); the shared data folder."""

import os

import torch

torch.set_num_threads(1)
os.environ.setdefault("OMP_NUM_THREADS", "1")
_default = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
if "FACET_SHARED_DIR" not in os.environ and not os.path.isdir(_default) and os.path.isdir("/work/shared"):
    # Engineers' worktrees have no ../shared; CI has it (training/paths.py documents the lookup).
    os.environ["FACET_SHARED_DIR"] = "/work/shared"
