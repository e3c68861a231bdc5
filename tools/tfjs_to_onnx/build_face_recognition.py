"""Rebuild face-api's `face_recognition_model` (dlib-style ResNet-29 descriptor, 128-D) as an ONNX graph.

The TF.js model in @vladmandic/face-api is a layers model written in code (src/faceRecognitionNet/*.ts), so
there is no graph to convert: this script writes the same computation node by node from the weight manifest.

    /usr/bin/python3 tools/tfjs_to_onnx/build_face_recognition.py <package dir> [models/face]

<package dir> is an unpacked `npm pack @vladmandic/face-api@1.7.15` (the folder holding package.json).
The uint8-quantised weights stay uint8 in the file (size ~6.5 MB) and are dequantised in the graph exactly as
TF.js does on load (w = q * scale + min, float32); onnxruntime folds these constants once at session start.

Network (per the package source), NHWC input 150x150 RGB in 0..255:
  x = (x - mean_rgb) / 255, mean_rgb = (122.782, 117.001, 104.298)
  conv 7x7/2 valid + bias, scale layer (x * w + b), ReLU; max-pool 3x3/2 valid
  residual blocks: conv3x3 same -> scale -> ReLU -> conv3x3 same -> scale, + input, ReLU
  down blocks: first conv 3x3/2 valid; shortcut = avg-pool 2x2/2 valid, zero-padded in channels when they
  double; when the conv branch comes out one pixel smaller, it is zero-padded at the bottom/right
  global mean over H, W, then a 256x128 matrix (no bias). The descriptor is not L2-normalised in the package.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

PACKAGE = "@vladmandic/face-api"
MODEL = "face_recognition_model"
MEAN_RGB = (122.782, 117.001, 104.298)
INPUT_SIZE = 150
OPSET = 17


def load_weights(pkg: str) -> tuple[dict[str, tuple[np.ndarray, dict | None]], dict[str, str]]:
    """Weights by name as stored (uint8 or float32) with their quantisation, and SHA-256 of the original files."""
    model_dir = os.path.join(pkg, "model")
    manifest_path = os.path.join(model_dir, f"{MODEL}-weights_manifest.json")
    manifest = json.load(open(manifest_path))
    hashes = {os.path.basename(manifest_path): sha256(manifest_path)}
    out: dict[str, tuple[np.ndarray, dict | None]] = {}
    for group in manifest:
        blob = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        for p in group["paths"]:
            hashes[p] = sha256(os.path.join(model_dir, p))
        offset = 0
        for w in group["weights"]:
            n = int(np.prod(w["shape"]))
            q = w.get("quantization")
            dtype = np.dtype(q["dtype"]) if q else np.dtype(w["dtype"])
            arr = np.frombuffer(blob, dtype=dtype, count=n, offset=offset).reshape(w["shape"])
            offset += n * dtype.itemsize
            out[w["name"]] = (arr.copy(), q)
        if offset != len(blob):
            raise SystemExit(f"weight group uses {offset} of {len(blob)} bytes")
    return out, hashes


def sha256(path: str) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


class Graph:
    def __init__(self, weights: dict[str, tuple[np.ndarray, dict | None]]):
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self.count = 0
        self.used: set[str] = set()

    def name(self, hint: str) -> str:
        self.count += 1
        return f"{hint}_{self.count}"

    def node(self, op: str, inputs: list[str], hint: str, **attrs) -> str:
        out = self.name(hint)
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def const(self, value: np.ndarray, hint: str) -> str:
        name = self.name(hint)
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def weight(self, key: str, transpose: tuple[int, ...] | None = None) -> str:
        """A float32 tensor of the manifest; quantised ones are stored uint8 and dequantised in the graph."""
        arr, q = self.weights[key]
        self.used.add(key)
        if transpose is not None:
            arr = np.ascontiguousarray(arr.transpose(transpose))
        safe = key.replace("/", ".")
        if q is None:
            return self.const(arr.astype(np.float32), safe)
        stored = self.const(arr, safe + ".q")
        as_float = self.node("Cast", [stored], safe + ".f", to=TensorProto.FLOAT)
        scaled = self.node("Mul", [as_float, self.const(np.float32(q["scale"]), safe + ".scale")], safe + ".s")
        return self.node("Add", [scaled, self.const(np.float32(q["min"]), safe + ".min")], safe)

    def conv_layer(self, x: str, prefix: str, stride: int, relu: bool, same: bool) -> str:
        # TF.js filters are HWIO; ONNX wants OIHW. The conv bias and the per-channel scale are kept as in the
        # package (conv + bias, then x * w + b) so the arithmetic order matches.
        w = self.weight(f"{prefix}/conv/filters", (3, 2, 0, 1))
        k = self.weights[f"{prefix}/conv/filters"][0].shape[0]
        pads = [k // 2] * 4 if same else [0, 0, 0, 0]
        y = self.node("Conv", [x, w], prefix + ".conv", strides=[stride, stride], pads=pads, kernel_shape=[k, k])
        y = self.node("Add", [y, self.channel(f"{prefix}/conv/bias")], prefix + ".bias")
        y = self.node("Mul", [y, self.channel(f"{prefix}/scale/weights")], prefix + ".sw")
        y = self.node("Add", [y, self.channel(f"{prefix}/scale/biases")], prefix + ".sb")
        return self.node("Relu", [y], prefix + ".relu") if relu else y

    def channel(self, key: str) -> str:
        """A per-channel vector reshaped to [C,1,1] for NCHW broadcasting."""
        v = self.weight(key)
        c = self.weights[key][0].shape[0]
        return self.node("Reshape", [v, self.const(np.array([c, 1, 1], np.int64), "shape")], key.replace("/", "."))

    def residual(self, x: str, prefix: str) -> str:
        y = self.conv_layer(x, f"{prefix}/conv1", 1, True, True)
        y = self.conv_layer(y, f"{prefix}/conv2", 1, False, True)
        return self.node("Relu", [self.node("Add", [y, x], prefix + ".add")], prefix + ".out")

    def residual_down(self, x: str, prefix: str, size_in: int, channels_in: int, channels_out: int) -> tuple[str, int]:
        y = self.conv_layer(x, f"{prefix}/conv1", 2, True, False)
        y = self.conv_layer(y, f"{prefix}/conv2", 1, False, True)
        conv_size = (size_in - 3) // 2 + 1
        pool_size = (size_in - 2) // 2 + 1
        pooled = self.node("AveragePool", [x], prefix + ".pool", kernel_shape=[2, 2], strides=[2, 2])
        if channels_out != channels_in:
            pads = np.array([0, 0, 0, 0, 0, channels_out - channels_in, 0, 0], np.int64)
            pooled = self.node("Pad", [pooled, self.const(pads, "pads")], prefix + ".cpad")
        if conv_size != pool_size:
            d = pool_size - conv_size
            pads = np.array([0, 0, 0, 0, 0, 0, d, d], np.int64)
            y = self.node("Pad", [y, self.const(pads, "pads")], prefix + ".spad")
        out = self.node("Add", [pooled, y], prefix + ".add")
        return self.node("Relu", [out], prefix + ".out"), pool_size


def build(weights: dict[str, tuple[np.ndarray, dict | None]]) -> onnx.ModelProto:
    g = Graph(weights)
    # NHWC 0..255 -> NCHW, mean-subtracted, /255 (the package's normalize(x, meanRgb).div(255)).
    x = g.node("Transpose", ["input"], "nchw", perm=[0, 3, 1, 2])
    mean = np.array(MEAN_RGB, np.float32).reshape(1, 3, 1, 1)
    x = g.node("Sub", [x, g.const(mean, "mean_rgb")], "centred")
    x = g.node("Div", [x, g.const(np.float32(255), "255")], "normalised")

    x = g.conv_layer(x, "conv32_down", 2, True, False)
    x = g.node("MaxPool", [x], "maxpool", kernel_shape=[3, 3], strides=[2, 2])
    size = ((INPUT_SIZE - 7) // 2 + 1 - 3) // 2 + 1
    for p in ("conv32_1", "conv32_2", "conv32_3"):
        x = g.residual(x, p)
    x, size = g.residual_down(x, "conv64_down", size, 32, 64)
    for p in ("conv64_1", "conv64_2", "conv64_3"):
        x = g.residual(x, p)
    x, size = g.residual_down(x, "conv128_down", size, 64, 128)
    for p in ("conv128_1", "conv128_2"):
        x = g.residual(x, p)
    x, size = g.residual_down(x, "conv256_down", size, 128, 256)
    for p in ("conv256_1", "conv256_2"):
        x = g.residual(x, p)
    x, size = g.residual_down(x, "conv256_down_out", size, 256, 256)

    pooled = g.node("ReduceMean", [x], "gap", axes=[2, 3], keepdims=0)
    fc = g.weight("fc")  # [256, 128]
    g.nodes.append(helper.make_node("MatMul", [pooled, fc], ["embedding"], name="embedding"))

    unused = set(weights) - g.used
    if unused:
        raise SystemExit(f"weights not used by the graph: {sorted(unused)}")
    graph = helper.make_graph(
        g.nodes,
        MODEL,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", INPUT_SIZE, INPUT_SIZE, 3])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", 128])],
        g.inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="facet-sr")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    pkg = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join("models", "face")
    version = json.load(open(os.path.join(pkg, "package.json")))["version"]
    weights, hashes = load_weights(pkg)
    model = build(weights)
    onnx_path = os.path.join(out_dir, "faceapi.onnx")
    onnx.save(model, onnx_path)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes), package {PACKAGE} {version}")
    print(json.dumps({"sha256": sha256(onnx_path), "bytes": os.path.getsize(onnx_path), "version": version, "files": hashes}))


if __name__ == "__main__":
    main()
