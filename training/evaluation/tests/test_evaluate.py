"""The Python evaluator's orchestration on synthetic faces with a small self-contained toolkit (box-filter LR and a
one-step Tweedie denoiser as the 'sampler'): the results validate, the baselines behave, NFE is counted, and a
re-run reproduces every number and hash."""
import hashlib

import numpy as np
import pytest
import torch

from training.evaluation.evaluate import Face, FaceSet, Toolkit, evaluate, write_results
from training.evaluation.models import PIXEL_EMBEDDER_INFO, analytic_gaussian_model, perturbation, pixel_embed
from training.evaluation.protocol import plan_methods
from training.evaluation.schema_check import validate_results


def box_down(x):
    return torch.nn.functional.avg_pool2d(x, 8)


def toolkit():
    def sample(sde, sampler, y, score, seeds):
        # Start at t = 1 from the prior around y, then `steps` Tweedie denoising steps: x0 = x + v(t) s(x, t).
        g = torch.Generator().manual_seed(int(seeds[0]) % (2**63))
        t1 = torch.ones(y.shape[0])
        _, v = perturbation(sde, t1)
        x = y + float(v[0]) ** 0.5 * torch.randn(y.shape, generator=g)
        for _ in range(sampler["steps"]):
            _, v = perturbation(sde, t1)
            x = x + float(v[0]) * score(x, y, t1)
        return x

    return Toolkit(
        form_lr=lambda hr: torch.floor(box_down(hr).clamp(0, 1) * 255 + 0.5) / 255,
        conditioning=lambda lr: torch.nn.functional.interpolate(lr, scale_factor=8, mode="nearest"),
        downscale=box_down,
        resolve_sampler=lambda preset, o, info: {"kind": "heun", "steps": o.get("steps", 2), "rho": 7, "eps": 0.002,
                                                 "churn": 0},
        sample=sample,
    )


def face_set(n=4):
    rng = np.random.default_rng(0)
    base = [rng.random((16, 16, 3)) for _ in range(n)]
    mk = lambda b, noise: np.clip(np.kron(b, np.ones((8, 8, 1))) + noise * rng.standard_normal((128, 128, 3)), 0, 1)  # noqa: E731
    h = lambda a: hashlib.sha256(a.tobytes()).hexdigest()  # noqa: E731
    quant = lambda a: (np.floor(a * 255 + 0.5) / 255).astype(np.float32)  # noqa: E731
    probes = [Face(f"p{i}.png", f"id{i}", h(b), quant(mk(b, 0.05))) for i, b in enumerate(base)]
    gallery = [Face(f"g{i}.png", f"id{i}", h(b), quant(mk(b, 0.05))) for i, b in enumerate(base)]
    return FaceSet("synthetic", "0" * 64, "synthetic 128x128", probes, gallery)


def run(fs):
    score, info = analytic_gaussian_model({"kind": "ve", "sigmaMin": 0.01, "sigmaMax": 348}, 0.1)
    from training.evaluation.evaluate import ScoreModel

    methods = plan_methods([info["id"]], ["fast"], fast_steps=[1, 3])
    return evaluate(fs, "42", [ScoreModel(info, score)], lambda imgs: [pixel_embed(i) for i in imgs],
                    PIXEL_EMBEDDER_INFO, methods, toolkit(), "pytest", {"implementation": "python", "version": "0",
                    "runtime": "torch", "device": "cpu"}, batch_size=3)


def test_evaluate_validates_and_reproduces(tmp_path):
    fs = face_set()
    r = run(fs)
    validate_results(r)
    by_id = {m["id"]: m for m in r["methods"]}
    hr = by_id["hr"]
    assert all(f["psnr"] is None and f["cs"] == pytest.approx(1) for f in hr["perFace"])
    assert hr["summary"]["rank1"] == 1.0 and hr["summary"]["ssim"]["mean"] == pytest.approx(1)
    bic = by_id["bicubic"]
    assert 15 < bic["summary"]["psnr"]["mean"] < 40
    # Box LR of a box-upscaled LR is the LR itself: consistency is 0 for bicubic (nearest) here.
    assert bic["summary"]["consistency"]["mean"] == pytest.approx(0, abs=1e-6)
    fast = [m for m in r["methods"] if m["kind"] == "model"]
    assert [m["nfe"] for m in fast] == [2, 1, 3]  # default 2 steps, then the NFE sweep 1 and 3
    assert fast[1]["tags"] == [{"experiment": "nfe", "family": "fast", "nfe": 1}]
    assert [f["seed"] for f in r["protocol"]["faces"]] == ["42", "43", "44", "45"]
    again = run(fs)
    strip = lambda res: [[{k: v for k, v in f.items()} for f in m["perFace"]] for m in res["methods"]]  # noqa: E731
    assert strip(again) == strip(r)
    write_results(tmp_path, r)
    assert "| Bicubic |" in (tmp_path / "results.md").read_text()
    assert '"psnr": null' in (tmp_path / "results.json").read_text()


def test_missing_model_is_named():
    fs = face_set(2)
    methods = plan_methods(["ghost"], ["fast"])
    with pytest.raises(ValueError, match="needs model ghost"):
        evaluate(fs, "0", [], lambda imgs: [pixel_embed(i) for i in imgs], PIXEL_EMBEDDER_INFO, methods, toolkit(),
                 "pytest", {"implementation": "python", "version": "0", "runtime": "torch", "device": "cpu"})
