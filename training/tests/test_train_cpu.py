"""The CPU trainer on its tiny config: the loss falls, a checkpoint resumes the same run bit for bit, the export
gives three C3 models of one shared network, and a new run continues from exported models."""

import json
import os

import numpy as np
import onnx
import torch

from training.export import load_onnx_weights
from training.lr_torch import LrOperator
from training.sde import Sde
from training.shared_denoiser import ResidualDenoiser, SharedScoreModel
from training.train_cpu import CONFIGS, batch_of, find_committed, parse_args, run

BASE = ["--config", "tiny", "--faces", "24", "--batch", "4", "--lr", "2e-3", "--warmup", "2", "--val-every", "0",
        "--threads", "1", "--checkpoint-every", "1e9", "--init-models", ""]


def args(tmp_path, *extra):
    return parse_args(BASE + ["--cache-dir", str(tmp_path / "cache")] + list(extra))


def fixed_probe(den: ResidualDenoiser, cache_dir: str) -> float:
    """Loss on fixed faces, noise levels and noise."""
    cache = np.memmap(os.path.join(cache_dir, "utkface-train-24.u8"), np.uint8, "r", shape=(24, 128, 128, 3))
    hr, y = batch_of(cache, np.arange(8), LrOperator(), np.zeros(8, bool))
    g = torch.Generator().manual_seed(5)
    sigma = torch.tensor([0.01, 0.03, 0.06, 0.1, 0.3, 1.0, 3.0, 30.0])
    with torch.no_grad():
        return float(den.loss(hr, y, sigma, torch.randn(hr.shape, generator=g)).mean())


def load(path: str) -> dict:
    return torch.load(path, map_location="cpu")


def test_loss_falls_and_export_gives_three_models(tmp_path):
    out = str(tmp_path / "run")
    torch.manual_seed(0)
    fresh = ResidualDenoiser(CONFIGS["tiny"])  # the trainer's initialisation (seed 0)
    rec = run(args(tmp_path, "--out", out, "--steps", "40"))
    assert rec["step"] == 40 and rec["images_seen"] == 160
    trained = ResidualDenoiser(CONFIGS["tiny"])
    trained.load_state_dict(load(os.path.join(out, "checkpoint.pt"))["model"])
    before, after = fixed_probe(fresh, str(tmp_path / "cache")), fixed_probe(trained, str(tmp_path / "cache"))
    assert after < 0.8 * before, (before, after)
    assert len(rec["exported"]) == 3
    shas, kinds = set(), []
    for path in rec["exported"]:
        man = json.load(open(path[: -len(".onnx")] + ".json"))
        kinds.append(man["sde"])
        shas.add(man["sha256"])
        assert man["parameterisation"] == "residual-edm" and man["params"] > 0 and man["training"]["device"]
        assert man["training"]["images_seen"] == 160 and man["training"]["steps"] == 40
        assert "same weights" in man["training"]["shared_weights"]
        assert man["training"]["licence"].startswith("non-commercial research")
        proto = onnx.load(path)
        assert [i.name for i in proto.graph.input] == ["x", "y", "t"]
        assert [o.name for o in proto.graph.output] == ["score"]
        # the exported weights are the EMA network's, shared by the three models
        probe = SharedScoreModel(Sde(man["sde"]), ResidualDenoiser(CONFIGS["tiny"]))
        assert load_onnx_weights(probe, path) == []
    assert kinds == ["ve", "vp", "subvp"] and len(shas) == 3


def test_checkpoint_resume_continues_the_same_run(tmp_path):
    straight, split = str(tmp_path / "straight"), str(tmp_path / "split")
    run(args(tmp_path, "--out", straight, "--steps", "6", "--no-export"))
    run(args(tmp_path, "--out", split, "--steps", "3", "--no-export"))
    rec = run(args(tmp_path, "--out", split, "--steps", "6", "--no-export"))
    assert rec["step"] == 6 and rec["images_seen"] == 24
    a, b = load(os.path.join(straight, "checkpoint.pt")), load(os.path.join(split, "checkpoint.pt"))
    for key in ("model", "ema"):
        for name, v in a[key].items():
            assert torch.equal(v, b[key][name]), (key, name)
    log = [json.loads(x) for x in open(os.path.join(split, "log.jsonl"))]
    assert [x["step"] for x in log if x["event"] == "resume"] == [3]


def test_a_new_run_continues_from_exported_models(tmp_path):
    first = str(tmp_path / "first")
    run(args(tmp_path, "--out", first, "--steps", "3"))
    models = os.path.join(first, "export")
    onnx_path, man = find_committed(models)
    assert man["sde"] == "ve"
    rec = run(parse_args(BASE[:-1] + [models, "--cache-dir", str(tmp_path / "cache"), "--out", str(tmp_path / "next"),
                                      "--steps", "5", "--no-export"]))
    assert rec["step"] == 5 and rec["images_seen"] == 12 + 8  # totals carry over from the manifest
    ck = load(os.path.join(str(tmp_path / "next"), "checkpoint.pt"))
    assert ck["origin"] == f"continued from {man['id']}"
    assert ck["opt_start"] == 3  # the fresh optimiser warms up again from the committed step
    assert ck["schedule"][0] == {"from_step": 0, "from_images": 0, "lr": 2e-3, "batch": 4}


def test_lr_factor_warms_up_holds_and_anneals_to_the_floor():
    from training.train_cpu import lr_factor

    assert lr_factor(0, 100, 0.0, None, 0.05) == 0.01
    assert lr_factor(500, 100, 0.9, None, 0.05) == 1.0  # no annealing asked: constant
    assert lr_factor(500, 100, 0.5, 0.5, 0.05) == 1.0  # the cosine starts at 1
    mid = lr_factor(500, 100, 0.75, 0.5, 0.05)
    assert abs(mid - (0.05 + 0.95 * 0.5)) < 1e-12
    assert abs(lr_factor(500, 100, 1.0, 0.5, 0.05) - 0.05) < 1e-12
    assert lr_factor(500, 100, 0.6, 0.5, 0.05) > lr_factor(500, 100, 0.7, 0.5, 0.05)
