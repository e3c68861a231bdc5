"""Training loop: AdamW with warm-up, gradient clipping, EMA, bf16 autocast and channels-last on CUDA, a
wall-clock budget, periodic validation with a fast sampler, resume from exported ONNX weights, DDP under torchrun.
At the end: export of the EMA weights (ONNX per C3 + manifest), a brief evaluation, metrics JSON.

Single process:  python3 -m training.train --pack data-pack/faces.tar --minutes 7 --out out/
Data parallel:   torchrun --nproc_per_node=8 -m training.train --pack ... (each rank trains on its own batches;
                 rank 0 validates, logs and exports; --batch is per process)
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import inspect
import io
import json
import math
import os
import sys
import time
from dataclasses import asdict
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from PIL import Image
from torch import Tensor

from .config import net_config
from .data import load_c1, spread, utkface_files
from .export import export_onnx, load_onnx_weights, manifest, onnxruntime_check, round_weights_fp16, write_manifest
from .flops import count_flops, count_params
from .frame import valid_mask
from .losses import training_loss
from .lr_torch import LrOperator, psnr
from .model import ScoreModel
from .samplers import PcConfig, sample_dpm_solver, sample_heun, sample_pc, streams_for
from .sde import Sde
from .streaks import gradient_ratio

FILE_LIMIT = 15 * 2**20  # files coming back from the GPU machine must stay under 16 MiB


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command line options."""
    p = argparse.ArgumentParser(description="Train the conditional score network.")
    p.add_argument("--out", default=None, help="output folder (model.onnx, model.json, log.jsonl, metrics.json)")
    p.add_argument("--pack", help="data tar from training.pack; else faces are read from the shared folder")
    p.add_argument("--faces", type=int, default=64, help="training faces read from the shared folder (no --pack)")
    p.add_argument("--config", default="default")
    p.add_argument("--sde", default="ve", choices=["ve", "vp", "subvp"])
    p.add_argument("--param", default="paper", choices=["paper", "edm"])
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--warmup", type=int, default=200, help="linear warm-up steps")
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--minutes", type=float, default=None, help="wall-clock budget of the training loop")
    p.add_argument("--steps", type=int, default=None, help="stop after this many steps")
    p.add_argument("--val-every", type=float, default=60.0, help="seconds between validations (0: never)")
    p.add_argument("--val-faces", type=int, default=8)
    p.add_argument("--val-steps", type=int, default=12, help="NFE of the fast preset (DPM-Solver++ 3M) in validation")
    p.add_argument("--eval-faces", type=int, default=64, help="faces per set in the final evaluation")
    p.add_argument("--eval-steps", type=int, default=25, help="NFE of the fast preset in the final evaluation")
    p.add_argument("--eval-heun-steps", type=int, default=0,
                   help="also evaluate Heun (VE) / Euler-Maruyama PC (VP, subVP) with this many steps (0: no)")
    p.add_argument("--init-onnx", help="resume from the weights of an exported model")
    p.add_argument("--mask-padding", action="store_true",
                   help="loss only where the C1 frame lies inside the UTKFace source image (not the edge padding)")
    p.add_argument("--degrade", action="store_true", help="realistic LR degradation (blur, noise, JPEG)")
    p.add_argument("--compile", action="store_true", help="torch.compile the network where available")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--fp16-weights", choices=["auto", "yes", "no"], default="auto")
    p.add_argument("--model-id", default=None)
    p.add_argument("--describe", action="store_true", help="print parameters and FLOPs and exit")
    args = p.parse_args(argv)
    if args.out is None and not args.describe:
        p.error("--out is required (except with --describe)")
    return args


class Logger:
    """JSON lines to a file and stdout (rank 0 only)."""

    def __init__(self, path: str | None) -> None:
        self.fh = open(path, "a") if path else None

    def __call__(self, **rec: Any) -> None:
        line = json.dumps(rec)
        print(line, flush=True)
        if self.fh:
            self.fh.write(line + "\n")
            self.fh.flush()


def load_data(args: argparse.Namespace) -> dict[str, np.ndarray]:
    """uint8 NHWC arrays: 'train' and the validation/evaluation sets."""
    if args.pack:
        from .pack import read_pack

        return {k: v[0] for k, v in read_pack(args.pack).items()}
    train = np.stack([load_c1(f) for f in spread(utkface_files("train"), args.faces)])
    held = np.stack([load_c1(f) for f in spread(utkface_files("heldout"), max(args.val_faces, 1))])
    return {"train": train, "heldout_utk": held}


def gpu_utilisation() -> float | None:
    """GPU utilisation in percent over the last sample period (needs NVML), else None."""
    try:
        return float(torch.cuda.utilization())
    except Exception:
        return None


class Degrader:
    """Realistic LR formation (flag --degrade): slight Gaussian blur of the HR, then C2 downscale, sensor noise,
    quantisation, and JPEG compression of the 16x16 LR at a random quality."""

    def __init__(self, lr_op: LrOperator, gen: torch.Generator) -> None:
        self.lr_op = lr_op
        self.gen = gen

    def __call__(self, hr: Tensor) -> Tensor:
        b, dev = hr.shape[0], hr.device
        sig = 0.2 + 1.3 * torch.rand(b, generator=self.gen)  # HR pixels
        r = torch.arange(-4, 5, dtype=torch.float32)
        k = torch.exp(-0.5 * (r[None, :] / sig[:, None]) ** 2)
        k = (k / k.sum(1, keepdim=True)).to(dev)
        x = hr.reshape(1, b * 3, 128, 128)
        kh = k.repeat_interleave(3, 0)
        x = torch.nn.functional.conv2d(torch.nn.functional.pad(x, (4, 4, 0, 0), mode="reflect"), kh[:, None, None, :], groups=b * 3)
        x = torch.nn.functional.conv2d(torch.nn.functional.pad(x, (0, 0, 4, 4), mode="reflect"), kh[:, None, :, None], groups=b * 3)
        low = self.lr_op.downscale(x.reshape(b, 3, 128, 128).double())
        noise = (0.02 * torch.rand(b, 1, 1, 1, generator=self.gen, dtype=torch.float64)).to(dev)
        low = self.lr_op.quantise(low + noise * torch.randn(low.shape, generator=self.gen, dtype=torch.float64).to(dev))
        q = torch.randint(30, 96, (b,), generator=self.gen)
        u8 = (low * 255).round().byte().permute(0, 2, 3, 1).cpu().numpy()
        out = []
        for i in range(b):
            buf = io.BytesIO()
            Image.fromarray(u8[i]).save(buf, "JPEG", quality=int(q[i]))
            out.append(np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB")))
        return torch.from_numpy(np.stack(out)).to(dev).permute(0, 3, 1, 2).to(hr.dtype) / 255.0


def batch_lr(lr_op: LrOperator, hr01: Tensor, degrader: Degrader | None) -> tuple[Tensor, Tensor]:
    """(LR 16x16, y 128x128) of an HR batch in [0,1]."""
    low = degrader(hr01) if degrader else lr_op.make_lr(hr01)
    return low, lr_op.upscale(low.float())


@torch.no_grad()
def super_resolve(model: ScoreModel, y: Tensor, steps: int, seed: int, first: int = 0, sampler: str = "fast") -> Tensor:
    """Sampler output in [0,1], C5 noise. 'fast': the app's default preset, DPM-Solver++ 3M with N = steps NFE;
    'heun': Heun ODE for VE, Euler-Maruyama PC for VP/subVP."""
    streams = streams_for(seed, y.shape[0], first)

    def score(x: Tensor, yy: Tensor, t: Tensor) -> Tensor:
        return model(x, yy, t.to(x.dtype)).float()

    if sampler == "fast":
        x = sample_dpm_solver(model.sde, score, y, streams, steps=steps, order=3)
    elif model.sde.kind == "ve":
        x = sample_heun(model.sde, score, y, streams, steps)
    else:
        x = sample_pc(model.sde, score, y, streams, PcConfig(predictor="euler-maruyama", steps=steps))
    return model.sde.to_unit_range(x).clamp(0.0, 1.0)


@torch.no_grad()
def evaluate(model: ScoreModel, faces: np.ndarray, lr_op: LrOperator, steps: int, device: torch.device,
             chunk: int = 32, sampler: str = "fast") -> dict[str, Any]:
    """Mean PSNR / consistency of bicubic (y) and a sampler (see `super_resolve`) on faces (uint8 NHWC)."""
    ps, cs, pb, cb, gs, gh = [], [], [], [], [], []
    for i in range(0, len(faces), chunk):
        hr = torch.from_numpy(faces[i : i + chunk]).to(device).permute(0, 3, 1, 2).float() / 255.0
        low, y = batch_lr(lr_op, hr, None)
        sr = super_resolve(model, y, steps, seed=1, first=i, sampler=sampler)
        ps.append(psnr(sr, hr)), cs.append(lr_op.consistency(sr, low))
        gs.append(gradient_ratio(sr.cpu())), gh.append(gradient_ratio(hr.cpu()))
        bic = y.clamp(0.0, 1.0)
        pb.append(psnr(bic, hr)), cb.append(lr_op.consistency(bic, low))
    cat = lambda v: torch.cat(v).float()  # noqa: E731
    return {
        "psnr": float(cat(ps).mean()), "psnr_std": float(cat(ps).std()) if len(faces) > 1 else 0.0,
        "consistency": float(cat(cs).mean()),
        "bicubic_psnr": float(cat(pb).mean()), "bicubic_consistency": float(cat(cb).mean()),
        "streak_ratio": float(cat(gs).mean() / cat(gh).mean()),
        "faces": int(len(faces)), "sampler": "dpm-solver++3m" if sampler == "fast" else
        "heun" if model.sde.kind == "ve" else "euler-maruyama",
        "nfe": 2 * steps - 1 if sampler == "heun" and model.sde.kind == "ve" else steps,
    }


@torch.no_grad()
def probe_loss(model: ScoreModel, faces: np.ndarray, lr_op: LrOperator, device: torch.device) -> float:
    """Paper DSM loss (Eq. 3, lambda = std^2) of `model` on fixed faces, times and noise: comparable across steps,
    runs and parameterisations, since every variant outputs the score."""
    from .losses import dsm_loss

    g = torch.Generator().manual_seed(99)
    hr = torch.from_numpy(faces[:8]).permute(0, 3, 1, 2).float().div(255.0)
    _, y = batch_lr(lr_op, hr.to(device), None)
    x0 = model.sde.to_model_range(hr.to(device))
    total = 0.0
    for tv in (0.02, 0.1, 0.3, 0.6):
        z = torch.randn(hr.shape, generator=g).to(device)
        t = torch.full((hr.shape[0],), tv, device=device)
        total += float(dsm_loss(model, model.sde, x0, y, t, z).mean())
    return total / 4


def make_optimizer(params: Any, args: argparse.Namespace, cuda: bool) -> torch.optim.Optimizer:
    """AdamW, fused on CUDA where this torch has it."""
    kw: dict[str, Any] = {"lr": args.lr, "weight_decay": args.weight_decay, "betas": (0.9, 0.999)}
    if cuda and "fused" in inspect.signature(torch.optim.AdamW).parameters:
        kw["fused"] = True
    return torch.optim.AdamW(params, **kw)


def setup_distributed(device: str) -> tuple[int, int, torch.device]:
    """(rank, world size, device); initialises torch.distributed under torchrun."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world == 1:
        return 0, 1, torch.device(device)
    rank, local = int(os.environ["RANK"]), int(os.environ.get("LOCAL_RANK", "0"))
    if device.startswith("cuda"):
        torch.cuda.set_device(local)
        dist.init_process_group("nccl")
        return rank, world, torch.device("cuda", local)
    dist.init_process_group("gloo")
    return rank, world, torch.device("cpu")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Trains, exports and evaluates; returns the metrics record (rank 0) or {} (other ranks)."""
    rank, world, device = setup_distributed(args.device)
    cuda = device.type == "cuda"
    torch.manual_seed(args.seed + rank)
    if cuda:
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    sde = Sde(args.sde)
    cfg = net_config(args.config)
    model = ScoreModel(sde, cfg, args.param)
    params = count_params(model)
    with torch.no_grad():
        flops = count_flops(model.net, torch.zeros(1, 6, 128, 128), torch.zeros(1))
    if args.describe:
        print(json.dumps({"config": args.config, "params": params, "gflop_per_forward": flops / 1e9}))
        return {}
    os.makedirs(args.out, exist_ok=True)
    log = Logger(os.path.join(args.out, "log.jsonl") if rank == 0 else None) if rank == 0 else (lambda **k: None)
    if args.init_onnx:
        missing = load_onnx_weights(model, args.init_onnx)
        if missing:
            raise SystemExit(f"--init-onnx: {len(missing)} weights not found in {args.init_onnx}: {missing[:5]}")
    t_load = time.time()
    data = load_data(args)
    train_u8 = torch.from_numpy(data["train"]).permute(0, 3, 1, 2).contiguous().to(device)
    n_train = train_u8.shape[0]
    log(event="start", rank=rank, world=world, device=str(device), torch=torch.__version__, params=params,
        gflop=flops / 1e9, train_faces=n_train, load_s=round(time.time() - t_load, 1), args=vars(args),
        net=asdict(cfg), gpu=torch.cuda.get_device_name(device) if cuda else None)
    model.to(device)
    if cuda:
        model = model.to(memory_format=torch.channels_last)
    ema = copy.deepcopy(model).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    train_model: torch.nn.Module = model
    if args.compile and hasattr(torch, "compile"):
        train_model = torch.compile(model)  # type: ignore[assignment]
    if world > 1:
        train_model = torch.nn.parallel.DistributedDataParallel(train_model, device_ids=[device.index] if cuda else None)
    opt = make_optimizer(model.parameters(), args, cuda)
    ema_params = list(ema.parameters())
    model_params = [p.detach() for p in model.parameters()]
    lr_op = LrOperator(device)
    gen = torch.Generator(device=device).manual_seed(args.seed * 1000 + rank)
    degrader = Degrader(lr_op, torch.Generator().manual_seed(args.seed + 17 * rank)) if args.degrade else None
    val_faces = data.get("heldout_utk", data["train"])[: args.val_faces]
    pad_mask = torch.from_numpy(valid_mask("utkface", 200, 200)).to(device)[None, None] if args.mask_padding else None
    probe_faces = val_faces if len(val_faces) else data["train"]
    probe_start = probe_loss(ema, probe_faces, lr_op, device) if rank == 0 else 0.0
    if rank == 0:
        log(event="probe", step=0, probe_loss=probe_start)
    budget_s = args.minutes * 60.0 if args.minutes is not None else math.inf
    max_steps = args.steps if args.steps is not None else (10**12 if budget_s < math.inf else 1000)
    start = time.time()
    last_log, last_val, seen, step, losses = start, start, 0, 0, []
    window_imgs, window_t = 0, time.time()
    history: list[dict[str, Any]] = []
    perm = torch.randperm(n_train, device=device, generator=gen)
    pos = 0
    while True:
        done = time.time() - start >= budget_s or step >= max_steps
        if world > 1:  # any rank's clock ends the run for all (one tiny all-reduce per step)
            flag = torch.tensor([1.0 if done else 0.0], device=device)
            dist.all_reduce(flag, op=dist.ReduceOp.MAX)
            done = float(flag) > 0
        if done:
            break
        if pos + args.batch > n_train:
            perm, pos = torch.randperm(n_train, device=device, generator=gen), 0
        idx = perm[pos : pos + args.batch] if n_train >= args.batch else torch.randint(n_train, (args.batch,), device=device, generator=gen)
        pos += args.batch
        hr = train_u8[idx].float() / 255.0
        flip = torch.rand(hr.shape[0], device=device, generator=gen) < 0.5
        hr = torch.where(flip[:, None, None, None], hr.flip(3), hr)
        _, y = batch_lr(lr_op, hr, degrader)
        mask = None
        if pad_mask is not None:  # the padding flips with the image
            mask = torch.where(flip[:, None, None, None], pad_mask.flip(3), pad_mask)
        x0 = sde.to_model_range(hr)
        if cuda:
            x0, y = x0.contiguous(memory_format=torch.channels_last), y.contiguous(memory_format=torch.channels_last)
        for g in opt.param_groups:
            g["lr"] = args.lr * min(1.0, (step + 1) / max(1, args.warmup))
        with torch.autocast("cuda", dtype=torch.bfloat16) if cuda else contextlib.nullcontext():
            loss = training_loss(train_model, sde, args.param, x0, y, gen, mask)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        with torch.no_grad():
            decay = min(args.ema, (1.0 + step) / (10.0 + step))
            torch._foreach_mul_(ema_params, decay)
            torch._foreach_add_(ema_params, model_params, alpha=1.0 - decay)
        step += 1
        seen += args.batch * world
        window_imgs += args.batch * world
        losses.append(loss.detach())
        now = time.time()
        if rank == 0 and (now - last_log >= 10.0 or step == 1 or step == max_steps):
            lv = float(torch.stack(losses).mean())
            losses = []
            if cuda:
                torch.cuda.synchronize()
            rate = window_imgs / max(1e-9, time.time() - window_t)
            rec = {"event": "train", "step": step, "loss": lv, "grad_norm": float(gnorm), "lr": opt.param_groups[0]["lr"],
                   "images_per_s": round(rate, 1), "images_seen": seen, "elapsed_s": round(now - start, 1)}
            if cuda:
                rec["gpu_util"] = gpu_utilisation()
                rec["gpu_mem_gib"] = round(torch.cuda.max_memory_allocated(device) / 2**30, 2)
            history.append(rec)
            log(**rec)
            last_log, window_imgs, window_t = now, 0, time.time()
        if rank == 0 and args.val_every > 0 and now - last_val >= args.val_every and len(val_faces):
            v = evaluate(ema, val_faces, lr_op, args.val_steps, device)
            log(event="val", step=step, **v)
            last_val = time.time()
            window_t = time.time()
    train_s = time.time() - start
    if world > 1:
        dist.barrier()
    if rank != 0:
        if world > 1:
            dist.destroy_process_group()
        return {}
    probe_end = probe_loss(ema, probe_faces, lr_op, device)
    log(event="probe", step=step, probe_loss=probe_end)
    history.append({"event": "probe", "start": probe_start, "end": probe_end})
    result = finish(args, ema, sde, params, flops, step, seen, train_s, device, data, lr_op, history, log)
    result["probe_loss"] = {"start": probe_start, "end": probe_end}
    if world > 1:
        dist.destroy_process_group()
    return result


def finish(args: argparse.Namespace, ema: ScoreModel, sde: Sde, params: int, flops: int, step: int, seen: int,
           train_s: float, device: torch.device, data: dict[str, np.ndarray], lr_op: LrOperator,
           history: list[dict[str, Any]], log: Any) -> dict[str, Any]:
    """Evaluation, export and metrics of the EMA model."""
    t0 = time.time()
    fp16 = args.fp16_weights == "yes" or (args.fp16_weights == "auto" and params * 4 > FILE_LIMIT)
    ema = ema.float().to(memory_format=torch.contiguous_format)
    if fp16:
        round_weights_fp16(ema)  # evaluate exactly the weights that ship
    metrics: dict[str, Any] = {}
    for name in ("heldout_utk", "eval_celeba"):
        if name in data and len(data[name]) and args.eval_faces > 0:
            metrics[name] = evaluate(ema, data[name][: args.eval_faces], lr_op, args.eval_steps, device)
            if args.eval_heun_steps > 0:  # the earlier stand-in, kept as an extra row for comparison
                metrics[name]["heun"] = evaluate(ema, data[name][: args.eval_faces], lr_op, args.eval_heun_steps,
                                                 device, sampler="heun")
            log(event="eval", set=name, **metrics[name])
    eval_s = time.time() - t0
    onnx_path = os.path.join(args.out, "model.onnx")
    cpu_model = copy.deepcopy(ema).cpu().eval()
    # Weights first: if this torch cannot export, they can be exported elsewhere (python3 -m training.export).
    torch.save({k: v.half() if fp16 else v for k, v in cpu_model.state_dict().items()}, os.path.join(args.out, "weights.pt"))
    try:
        export_onnx(cpu_model, onnx_path, fp16_weights=fp16)
    except Exception as err:
        log(event="export_failed", error=repr(err)[:2000])
        with open(os.path.join(args.out, "metrics.json"), "w") as fh:
            json.dump({"export_error": repr(err)[:2000], "metrics": metrics, "steps": step, "images_seen": seen}, fh, indent=1)
        raise
    ort_diff = onnxruntime_check(onnx_path, cpu_model)
    training = {
        "data": f"UTKFace train split, {len(data['train'])} faces in C1" + (" (packed, WebP q90)" if args.pack else ""),
        "steps": step, "images_seen": seen, "minutes": round(train_s / 60.0, 2),
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "config": args.config, "batch": args.batch, "lr": args.lr, "ema": args.ema, "degrade": args.degrade,
        "torch": torch.__version__,
    }
    probes = [h for h in history if h.get("event") == "probe"]
    metrics_all = {**metrics, "probe_loss": probes[-1] if probes else None, "onnxruntime_max_rel_diff": ort_diff, "eval_s": round(eval_s, 1)}
    model_id = args.model_id or f"sr-{sde.kind}-{args.config}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}"
    man = manifest(cpu_model, onnx_path, params, flops, training, metrics_all, model_id)
    write_manifest(man, os.path.join(args.out, "model.json"))
    record = {"manifest": man, "history": history[-50:], "onnx_bytes": os.path.getsize(onnx_path)}
    with open(os.path.join(args.out, "metrics.json"), "w") as fh:
        json.dump(record, fh, indent=1)
    log(event="done", steps=step, images_seen=seen, train_s=round(train_s, 1), onnx_bytes=record["onnx_bytes"],
        fp16_weights=fp16, onnxruntime_max_rel_diff=ort_diff)
    return record


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    run(parse_args(argv))


if __name__ == "__main__":
    main(sys.argv[1:])
