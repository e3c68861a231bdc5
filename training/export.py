"""ONNX export per contract C3 (inputs x, y, t; output score; dynamic batch; opset 17) with the JSON manifest,
optional float16 weight storage (Cast to float32 inside the graph, so compute and I/O stay float32), a torch vs
onnxruntime check where onnxruntime is installed, and loading of exported weights back into torch (resume)."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
from typing import Any

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .model import ScoreModel

OPSET = 17
FP16_SUFFIX = "__fp16"
LICENCE = "non-commercial research (trained on UTKFace; image copyright stays with the owners)"


def round_weights_fp16(model: torch.nn.Module) -> None:
    """Rounds every floating parameter and buffer to the nearest float16 value (kept as float32)."""
    with torch.no_grad():
        for p in list(model.parameters()) + list(model.buffers()):
            if p.is_floating_point():
                p.copy_(p.half().float())


def _export_kwargs() -> dict[str, Any]:
    """Keyword arguments that select the TorchScript-based exporter on torch 2.x (where it still exists)."""
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        return {"dynamo": False}
    return {}


def to_fp16_storage(model_proto: onnx.ModelProto, min_elems: int = 1024) -> onnx.ModelProto:
    """Stores large float32 initializers as float16 and inserts a Cast back to float32 under the original name."""
    g = model_proto.graph
    casts = []
    for init in list(g.initializer):
        if init.data_type != onnx.TensorProto.FLOAT:
            continue
        arr = numpy_helper.to_array(init)
        if arr.size < min_elems:
            continue
        name = init.name
        half = numpy_helper.from_array(arr.astype(np.float16), name + FP16_SUFFIX)
        g.initializer.remove(init)
        g.initializer.append(half)
        casts.append(onnx.helper.make_node("Cast", [name + FP16_SUFFIX], [name], to=onnx.TensorProto.FLOAT))
    for i, node in enumerate(casts):
        g.node.insert(i, node)
    return model_proto


PARAM_MAP_KEY = "facet.param_map"


def add_param_map(proto: onnx.ModelProto, model: torch.nn.Module) -> None:
    """Records, in the model's metadata, which initializer holds each state entry whose name the exporter dropped
    (it merges identical tensors, e.g. the untrained norms), so `load_onnx_weights` can restore every weight."""
    inits = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    mapping: dict[str, str] = {}
    for key, val in model.state_dict().items():
        if key in inits:
            continue
        arr = val.detach().cpu().numpy()
        for name, cand in inits.items():
            if cand.shape == arr.shape and cand.dtype == arr.dtype and np.array_equal(cand, arr):
                mapping[key] = name
                break
    missing = [k for k in model.state_dict() if k not in inits and k not in mapping]
    if missing:  # e.g. the dynamo exporter folded some weights: the model is fine, only --init-onnx is affected
        print(f"export: {len(missing)} weights not stored by name (resume needs weights.pt): {missing[:5]}", flush=True)
    entry = proto.metadata_props.add()
    entry.key, entry.value = PARAM_MAP_KEY, json.dumps(mapping)


def export_onnx(model: ScoreModel, path: str, fp16_weights: bool = False) -> None:
    """Writes the C3 ONNX file (float32 inputs/outputs, dynamic batch)."""
    model = model.eval().float()
    x = torch.rand(2, 3, 128, 128)
    y = torch.rand(2, 3, 128, 128)
    t = torch.rand(2) * 0.9 + 0.1
    dyn = {"x": {0: "batch"}, "y": {0: "batch"}, "t": {0: "batch"}, "score": {0: "batch"}}
    tmp = path + ".tmp"
    common: dict[str, Any] = {"input_names": ["x", "y", "t"], "output_names": ["score"], "opset_version": OPSET}
    with torch.no_grad():
        try:
            torch.onnx.export(model, (x, y, t), tmp, dynamic_axes=dyn, do_constant_folding=False, **common,
                              **_export_kwargs())
        except Exception as err:  # a torch without the TorchScript exporter: try the dynamo-based one
            if not _export_kwargs():
                raise
            print(f"export: TorchScript exporter failed ({err!r}); trying dynamo=True", flush=True)
            batch = torch.export.Dim("batch", min=1, max=1024)
            torch.onnx.export(model, (x, y, t), tmp, dynamo=True, external_data=False,
                              dynamic_shapes=({0: batch}, {0: batch}, {0: batch}), **common)
    proto = onnx.load(tmp)
    os.remove(tmp)
    add_param_map(proto, model)
    if fp16_weights:
        proto = to_fp16_storage(proto)
    onnx.checker.check_model(proto)
    onnx.save(proto, path)


def load_onnx_weights(model: torch.nn.Module, path: str) -> list[str]:
    """Copies the exported weights (by name) into `model`; returns the names of state entries not found."""
    proto = onnx.load(path)
    found: dict[str, np.ndarray] = {}
    for init in proto.graph.initializer:
        name = init.name[: -len(FP16_SUFFIX)] if init.name.endswith(FP16_SUFFIX) else init.name
        found[name] = numpy_helper.to_array(init).astype(np.float32)
    for prop in proto.metadata_props:
        if prop.key == PARAM_MAP_KEY:
            for key, name in json.loads(prop.value).items():
                if name in found:
                    found[key] = found[name]
    missing = []
    state = model.state_dict()
    with torch.no_grad():
        for k, v in state.items():
            if k in found and tuple(found[k].shape) == tuple(v.shape):
                v.copy_(torch.from_numpy(found[k]))
            else:
                missing.append(k)
    return missing


def sha256_file(path: str) -> str:
    """Hex SHA-256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest(model: ScoreModel, onnx_path: str, params: int, flops: int, training: dict[str, Any],
             metrics: dict[str, Any], model_id: str) -> dict[str, Any]:
    """The C3 manifest of an exported file."""
    sde = model.sde
    return {
        "id": model_id,
        "sde": sde.kind,
        "sigma_min": sde.sigma_min,
        "sigma_max": sde.sigma_max,
        "beta_min": sde.beta_min,
        "beta_max": sde.beta_max,
        "data_range": list(sde.data_range),
        "eps": sde.eps,
        "lr_size": 16,
        "hr_size": 128,
        "frame": "C1: ArcFace 5-point template scaled by 128/112 (DESIGN.md); training faces mapped by a fixed "
        "calibrated crop (training/README.md)",
        "sha256": sha256_file(onnx_path),
        "params": params,
        "flops": flops,
        "parameterisation": model.param,
        "weights": "float16 storage, float32 compute" if any(
            i.name.endswith(FP16_SUFFIX) for i in onnx.load(onnx_path).graph.initializer
        ) else "float32",
        "training": {"licence": LICENCE, **training},  # a trainer that knows its data names its own licence
        "metrics": metrics,
    }


def write_manifest(obj: dict[str, Any], path: str) -> None:
    """Writes the manifest as pretty JSON."""
    with open(path, "w") as fh:
        json.dump(obj, fh, indent=2)
        fh.write("\n")


def onnxruntime_check(onnx_path: str, model: ScoreModel, batch: int = 2, seed: int = 0) -> float | None:
    """Max |torch - onnxruntime| on random inputs, or None where onnxruntime (Python) is not installed."""
    try:
        import onnxruntime as ort  # type: ignore[import-not-found]
    except ImportError:
        return None
    g = torch.Generator().manual_seed(seed)
    lo, hi = model.sde.data_range
    x = lo + (hi - lo) * torch.rand(batch, 3, 128, 128, generator=g)
    y = torch.rand(batch, 3, 128, 128, generator=g)
    t = 0.05 + 0.9 * torch.rand(batch, generator=g)
    with torch.no_grad():
        ref = model.eval().float()(x, y, t).numpy()
    sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    out = sess.run(["score"], {"x": x.numpy(), "y": y.numpy(), "t": t.numpy()})[0]
    return float(np.abs(out - ref).max() / max(1e-12, np.abs(ref).max()))


def main() -> None:
    """Re-export saved weights (weights.pt from a training run) with this machine's torch."""
    import argparse

    from .config import net_config
    from .sde import Sde

    p = argparse.ArgumentParser(description="Export weights.pt of a training run to ONNX (C3).")
    p.add_argument("--weights", required=True)
    p.add_argument("--out", required=True, help="ONNX path")
    p.add_argument("--config", default="default")
    p.add_argument("--sde", default="ve")
    p.add_argument("--param", default="paper")
    p.add_argument("--fp16-weights", action="store_true")
    a = p.parse_args()
    model = ScoreModel(Sde(a.sde), net_config(a.config), a.param)
    state = torch.load(a.weights, map_location="cpu")
    model.load_state_dict({k: v.float() for k, v in state.items()})
    export_onnx(model, a.out, fp16_weights=a.fp16_weights)
    print(json.dumps({"onnx": a.out, "sha256": sha256_file(a.out), "ort_max_rel_diff": onnxruntime_check(a.out, model)}))


if __name__ == "__main__":
    main()
