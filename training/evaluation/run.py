"""`python3 -m training.evaluation.run`: the GPU-sized evaluation (DESIGN.md section 4) over the training package's
C2 operator, C5 noise, reference samplers and C1 data readers, writing the results JSON of `facet eval`.

Examples (repository root; FACET_SHARED_DIR points at the shared data):
  python3 -m training.evaluation.run --faces 1000 --model models/sr-ve.json --presets sde-ve,sde-vecs \
      --pc-steps 1000 --r-sweep 0.05,0.1,0.16,0.2,0.3,0.4,0.5,0.6 --pc-steps-sweep 50,100,250,500,1000 \
      --embedder pixel --device cuda --out docs/results/gpu-ve
  python3 -m training.evaluation.run --crops CROPS --model analytic-ve --presets sde-ve --pc-steps 20 --out DIR
Then `facet eval report DIR/results.json` draws the figures (and can re-embed with faceres on CPU if needed).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ..lr import make_lr
from ..lr_torch import LrOperator
from ..noise import NoiseStream
from ..samplers import PcConfig, sample_dpm_solver, sample_heun, sample_pc, scalar_sde
from ..sde import Sde
from .evaluate import Face, FaceSet, ScoreModel, Toolkit, evaluate, load_crops_set, write_results
from .models import PIXEL_EMBEDDER_INFO, analytic_gaussian_model, pixel_embed
from .protocol import parse_manifest, plan_methods, select_faces

PAPER_STEPS = 2000
PAPER_SNR = 0.16
FAST_STEPS, FAST_ORDER = 25, 3  # src/core/sampling/presets.ts: the 'fast' preset is DPM-Solver++ 3M, 25 NFE,
FAST_SIGMA_END = 0.2  # stopping at noise level 0.2 on [0,1] images (fastEndTime)
HEUN_STEPS = 18  # the Python-only 'heun' rows (EDM's N = 18, 35 NFE), kept for comparison with earlier runs
PC_PRESETS = {
    "sde-ve": ("ve", "reverse-diffusion", "none", 0),
    "sde-vecs": ("ve", "reverse-diffusion", "langevin", 1),
    "sde-vp": ("vp", "euler-maruyama", "none", 0),
    "sde-subvp": ("subvp", "euler-maruyama", "none", 0),
}


def resolve_sampler(preset: str, overrides: dict, info: dict) -> dict:
    """The sampler config of a preset, as src/core/sampling/presets.ts resolves it ('fast' = DPM-Solver++ 3M at 25
    NFE, the PC presets); plus the Python-only 'heun' (Heun ODE on the Karras schedule, VE)."""
    kind = info["sde"]["kind"]
    eps = 1e-5 if kind == "ve" else 1e-3
    if preset == "fast":
        return {"kind": "dpm-solver", "steps": overrides.get("steps", FAST_STEPS), "order": FAST_ORDER,
                "eps": fast_end_time(_sde(info))}
    if preset == "heun":
        return {"kind": "heun", "steps": overrides.get("steps", HEUN_STEPS), "rho": 7, "eps": eps, "churn": 0}
    if preset not in PC_PRESETS:
        raise ValueError(f"Preset {preset}: unknown (use fast, heun, sde-ve, sde-vecs, sde-vp, sde-subvp).")
    sde_kind, predictor, corrector, m = PC_PRESETS[preset]
    if sde_kind != kind:
        raise ValueError(f"Preset {preset} is for the {sde_kind.upper()} SDE, but the model is {kind}.")
    return {
        "kind": "pc", "predictor": predictor, "corrector": corrector,
        "steps": overrides.get("steps", PAPER_STEPS),
        "correctorSteps": 0 if corrector == "none" else overrides.get("correctorSteps", m),
        "snr": overrides.get("snr", PAPER_SNR), "eps": eps,
    }


def fast_end_time(sde: Sde) -> float:
    """The time where the SDE's noise level, in [0,1] image units, is FAST_SIGMA_END (presets.ts fastEndTime)."""
    width = 1.0 if sde.kind == "ve" else 2.0
    return scalar_sde(sde)[2](FAST_SIGMA_END * width)


def _sde(info: dict) -> Sde:
    s = info["sde"]
    if s["kind"] == "ve":
        return Sde("ve", sigma_min=s["sigmaMin"], sigma_max=s["sigmaMax"])
    return Sde(s["kind"], beta_min=s["betaMin"], beta_max=s["betaMax"])


def training_toolkit(device: str) -> Toolkit:
    """C2 from training.lr (exact LR, per image) and training.lr_torch (batched), samplers from training.samplers."""
    op = LrOperator(device=device, dtype=torch.float64)

    def form_lr(hr: torch.Tensor) -> torch.Tensor:
        imgs = hr.detach().permute(0, 2, 3, 1).cpu().numpy()
        return torch.from_numpy(np.stack([make_lr(i) for i in imgs])).permute(0, 3, 1, 2).to(device)

    def sample(sde_cfg: dict, sampler: dict, y: torch.Tensor, score, seeds) -> torch.Tensor:
        sde = _sde({"sde": sde_cfg})
        streams = [NoiseStream(int(s), 0) for s in seeds]
        y = y.float()
        if sampler["kind"] == "pc":
            cfg = PcConfig(sampler["predictor"], sampler["corrector"], sampler["steps"], sampler["correctorSteps"],
                           sampler["snr"])
            return sample_pc(sde, score, y, streams, cfg)
        if sampler["kind"] == "heun":
            return sample_heun(sde, score, y, streams, sampler["steps"], sampler["rho"], sampler["churn"])
        if sampler["kind"] == "dpm-solver":
            return sample_dpm_solver(sde, score, y, streams, sampler["steps"], sampler["order"], sampler["eps"])
        raise ValueError(f"No Python reference for the {sampler['kind']} sampler.")

    return Toolkit(
        form_lr=form_lr,
        conditioning=lambda lr: op.upscale(lr.double()).float(),
        downscale=lambda sr: op.downscale(sr.double()),
        resolve_sampler=resolve_sampler,
        sample=sample,
    )


def load_celeba_set(count: int) -> FaceSet:
    """eval/celeba per the protocol's selection, mapped into C1 by training.frame (the calibrated box)."""
    from ..frame import BOXES, to_frame
    from ..paths import data_dir

    folder = Path(data_dir("eval", "celeba"))
    manifest = (folder / "manifest.csv").read_bytes()
    probes, gallery = select_faces(parse_manifest(manifest.decode()), count)

    def load(row) -> Face:
        data = (folder / row.file).read_bytes()
        with Image.open(folder / row.file) as im:
            hr = to_frame(im, "celeba").astype(np.float32) / 255
        return Face(row.file, row.identity, hashlib.sha256(data).hexdigest(), hr)

    return FaceSet("eval/celeba", hashlib.sha256(manifest).hexdigest(),
                   f"fixed box {list(BOXES['celeba'])} of img_align_celeba (training/frame.py), PIL bicubic, 8-bit",
                   [load(r) for r in probes], [load(r) for r in gallery])


def load_model(spec: str, tau: float, config: str, device: str, autocast: bool = False) -> ScoreModel:
    """`analytic-ve|vp|subvp`, or a C3 manifest whose ONNX weights load into the training network (GPU path)."""
    if spec.startswith("analytic-"):
        kind = spec.split("-", 1)[1]
        sde = {"kind": "ve", "sigmaMin": 0.01, "sigmaMax": 348} if kind == "ve" else \
            {"kind": kind, "betaMin": 0.1, "betaMax": 20}
        score, info = analytic_gaussian_model(sde, tau)
        return ScoreModel(info, score)
    from ..config import net_config
    from ..export import load_onnx_weights, sha256_file
    from ..model import ScoreModel as Net

    man = json.loads(Path(spec).read_text())
    onnx_path = str(Path(spec).with_suffix(".onnx"))
    if sha256_file(onnx_path) != man["sha256"]:
        raise ValueError(f"{onnx_path} does not match the SHA-256 of its manifest.")
    sde = Sde(man["sde"], man["sigma_min"], man["sigma_max"], man["beta_min"], man["beta_max"])
    net = Net(sde, net_config(config), man.get("parameterisation", "paper"))
    missing = load_onnx_weights(net, onnx_path)
    if missing:
        raise ValueError(f"{onnx_path}: {len(missing)} weights not found for config {config!r} (e.g. {missing[0]}).")
    net = net.to(device).eval()
    images = man["training"]["images_seen"]
    info = {
        "id": man["id"], "sha256": man["sha256"],
        "sde": {"kind": "ve", "sigmaMin": sde.sigma_min, "sigmaMax": sde.sigma_max} if sde.kind == "ve"
        else {"kind": sde.kind, "betaMin": sde.beta_min, "betaMax": sde.beta_max},
        "dataRange": "0,1" if sde.kind == "ve" else "-1,1",
        "trainedOnFaces": images > 0,
        "note": (f"trained on {man['training']['data']}, {images} images seen" if images > 0
                 else f"NOT trained on faces: {man['training']['data']}"),
    }
    if autocast:  # bf16 network on CUDA (the score comes back in float32); the record says so
        info["note"] += "; evaluated with bf16 autocast"

        def score(x, y, t):
            with torch.autocast("cuda", dtype=torch.bfloat16):
                return net(x.float(), y.float(), t.float()).float()

        return ScoreModel(info, score)
    return ScoreModel(info, lambda x, y, t: net(x.float(), y.float(), t.float()))


def main(argv: list[str] | None = None) -> int:
    """Parses the options (the same names as `facet eval run`), evaluates, writes results.json and results.md."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--faces", type=int, default=8)
    p.add_argument("--crops")
    p.add_argument("--model", action="append", default=[])
    p.add_argument("--tau", type=float, default=0.1)
    p.add_argument("--config", default="default", help="network config of ONNX models (training/config.py)")
    p.add_argument("--embedder", default="pixel", choices=["pixel"])
    p.add_argument("--presets", default="sde-ve,sde-vecs")
    p.add_argument("--pc-steps", type=int)
    p.add_argument("--r-sweep", default="")
    p.add_argument("--sweep-steps", type=int)
    p.add_argument("--fast-steps", default="", help="NFE sweep of the fast preset (DPM-Solver++ 3M steps)")
    p.add_argument("--pc-steps-sweep", default="")
    p.add_argument("--seed", default="0")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--autocast", action="store_true", help="bf16 autocast for ONNX-loaded networks on CUDA")
    p.add_argument("--out", default="eval-results")
    a = p.parse_args(argv)
    nums = lambda s, f: [f(x) for x in s.split(",") if x.strip()]  # noqa: E731
    models = [load_model(m, a.tau, a.config, a.device, a.autocast) for m in a.model]
    face_set = load_crops_set(Path(a.crops)) if a.crops else load_celeba_set(a.faces)
    methods = plan_methods([m.info["id"] for m in models], nums(a.presets, str), nums(a.r_sweep, float),
                           nums(a.fast_steps, int), nums(a.pc_steps_sweep, int), a.pc_steps, a.sweep_steps)
    device_name = torch.cuda.get_device_name(0) if a.device.startswith("cuda") else platform.processor() or "cpu"

    def log(m: dict) -> None:
        s = m["summary"]
        f = lambda v, d: "inf" if v is None else f"{v:.{d}f}"  # noqa: E731
        print(f"{m['id']:<36} PSNR {f(s['psnr']['mean'], 2)}  SSIM {f(s['ssim']['mean'], 3)}  "
              f"cons {f(s['consistency']['mean'], 3)}  CS {f(s['cs']['mean'], 3)}  NFE {m['nfe']}  "
              f"{m['seconds']:.1f} s", flush=True)

    results = evaluate(face_set, a.seed, models, lambda imgs: [pixel_embed(i) for i in imgs], PIXEL_EMBEDDER_INFO,
                       methods, training_toolkit(a.device),
                       "python3 -m training.evaluation.run " + " ".join(shlex.quote(x) for x in (argv or sys.argv[1:])),
                       {"implementation": "python", "version": "0.1.0", "runtime": f"torch {torch.__version__}",
                        "device": f"{a.device} ({device_name})"},
                       batch_size=a.batch, device=a.device, on_method=log)
    write_results(Path(a.out), results)
    print(f"wrote {os.path.join(a.out, 'results.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
