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
from training.train_cpu import CONFIGS, Trainer, batch_of, ffhq_cache, find_committed, parse_args, run, utkface_mask

BASE = ["--config", "tiny", "--faces", "24", "--ffhq-faces", "6", "--ffhq-versions", "2", "--batch", "4",
        "--lr", "2e-3", "--warmup", "2", "--val-every", "0", "--threads", "1", "--checkpoint-every", "1e9",
        "--init-models", ""]


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
        assert man["training"]["licence"].startswith("non-commercial research") and "FFHQ" in man["training"]["licence"]
        assert man["training"]["data_mix"] == {"utkface": 0.7, "ffhq1k": 0.3}
        assert man["training"]["utkface_padding_masked"] is True and "validity mask" in man["training"]["data"]
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


def test_utkface_mask_covers_the_image_and_flips_with_the_face():
    m = utkface_mask(np.array([False, True]))
    assert m.shape == (2, 1, 128, 128)
    plain, flipped = m[0, 0], m[1, 0]
    assert plain[:20].sum() == 0 and plain[40:, 20:108].min() == 1  # the top band is padding, the face is not
    assert 0.6 < float(plain.mean()) < 0.7  # about a third of the frame is padding (training/README.md)
    assert torch.equal(flipped, plain.flip(1)) and not torch.equal(flipped, plain)  # 9 px left vs 8 px right


def test_masked_loss_ignores_what_the_mask_leaves_out():
    torch.manual_seed(0)
    den = ResidualDenoiser(CONFIGS["tiny"])
    hr, y = torch.rand(2, 3, 128, 128), torch.rand(2, 3, 128, 128)
    sigma, z = torch.tensor([0.05, 0.5]), torch.randn(2, 3, 128, 128)
    mask = torch.zeros(2, 1, 128, 128)
    mask[:, :, 64:] = 1
    with torch.no_grad():
        base = den.loss(hr, y, sigma, z, mask)
        hr2 = hr.clone()
        hr2[:, :, :64] = 1.0 - hr2[:, :, :64]  # change only masked-out pixels
        assert torch.allclose(base, den.loss(hr2, y, sigma, z, mask))
        assert not torch.allclose(den.loss(hr, y, sigma, z), den.loss(hr2, y, sigma, z))
        assert torch.allclose(den.loss(hr, y, sigma, z, torch.ones(2, 1, 128, 128)), den.loss(hr, y, sigma, z))


def test_batches_mix_ffhq_faces_with_masked_utkface(tmp_path):
    a = args(tmp_path, "--batch", "10", "--out", str(tmp_path / "run"))
    tr = Trainer(a, lambda **_: None)
    cache = np.zeros((24, 128, 128, 3), np.uint8)  # UTKFace stand-in: black
    ffhq = ffhq_cache(6, 2, a.cache_dir, lambda **_: None)
    assert ffhq.shape == (12, 128, 128, 3) and ffhq[0].std() > 10
    assert not np.array_equal(ffhq[0], ffhq[1])  # the second version of a face is jittered
    hr, y, mask = tr.batch(cache, ffhq, LrOperator())
    assert hr.shape == (10, 3, 128, 128) and y.shape == hr.shape and mask.shape == (10, 1, 128, 128)
    assert float(hr[:7].abs().max()) == 0.0 and float(hr[7:].flatten(1).std(1).min()) > 0.05  # 7 UTKFace, 3 FFHQ
    assert float(mask[:7].mean()) < 0.7 and float(mask[7:].min()) == 1.0  # FFHQ faces are real to the edges


def test_cpu_minutes_budget_stops_on_process_cpu_time_and_anneals_over_it(tmp_path):
    import pytest

    out = str(tmp_path / "cpu-budget")
    rec = run(args(tmp_path, "--out", out, "--cpu-minutes", "0.05", "--anneal-from", "0.0", "--lr-floor", "0.1",
                   "--no-export"))
    log = [json.loads(x) for x in open(os.path.join(out, "log.jsonl"))]
    stop = [x for x in log if x["event"] == "stop"][-1]
    assert stop["reason"] == "budget" and rec["step"] > 1
    assert 3 <= stop["cpu_s"] <= 30  # the 3 CPU-second budget, plus at most one step and rounding
    ck = load(os.path.join(out, "checkpoint.pt"))
    assert ck["schedule"][-1]["cpu_minutes"] == 0.05
    with pytest.raises(SystemExit):
        run(args(tmp_path, "--out", out, "--cpu-minutes", "1", "--minutes", "1"))
