"""Shared test setup: few threads (CI has 2 shared cores), the shared data folder."""

import os

import torch

torch.set_num_threads(1)
os.environ.setdefault("OMP_NUM_THREADS", "1")
