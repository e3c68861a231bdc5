"""Convert a TF.js graph model (model.json + weight shards) into an ONNX model.

Tensors stay NHWC as in TensorFlow; each convolution and pooling op is wrapped in Transpose nodes
(NHWC -> NCHW -> NHWC), which onnxruntime's transpose optimiser cancels pairwise. Weights quantised to
float16 by the TF.js converter are stored as float16 initializers followed by a Cast to float32, so the
ONNX model computes with the exact values TF.js dequantises to while staying half the size.

Usage:
  /usr/bin/python3 tools/tfjs_to_onnx/convert.py MODEL.json OUT.onnx --output tfnode=name [...]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
NHWC_TO_NCHW = [0, 3, 1, 2]
NCHW_TO_NHWC = [0, 2, 3, 1]


def load_weights(model_dir: str, manifest: list[dict]) -> dict[str, tuple[np.ndarray, bool]]:
    """Read all shards in order and slice them into named arrays; returns name -> (array, was_fp16)."""
    out: dict[str, tuple[np.ndarray, bool]] = {}
    for group in manifest:
        buf = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            shape = [int(s) for s in w["shape"]]
            count = int(np.prod(shape)) if shape else 1
            quant = w.get("quantization")
            if quant is not None:
                if quant["dtype"] != "float16":
                    raise ValueError(f"unsupported quantisation {quant} for {w['name']}")
                arr = np.frombuffer(buf, dtype="<f2", count=count, offset=offset).reshape(shape)
                offset += 2 * count
                out[w["name"]] = (arr.copy(), True)
                continue
            dtype = {"float32": "<f4", "int32": "<i4"}[w["dtype"]]
            arr = np.frombuffer(buf, dtype=dtype, count=count, offset=offset).reshape(shape)
            offset += 4 * count
            out[w["name"]] = (arr.copy(), False)
        if offset != len(buf):
            raise ValueError(f"weight shards hold {len(buf)} bytes, manifest describes {offset}")
    return out


def attr_list(node: dict, key: str) -> list[int]:
    return [int(i) for i in node["attr"][key]["list"].get("i", [])]


def attr_str(node: dict, key: str) -> str:
    return base64.b64decode(node["attr"][key]["s"]).decode()


def clean(name: str) -> str:
    """TF.js inputs may carry ':0' or '^' control markers; ONNX wants plain tensor names."""
    return name.split(":")[0].lstrip("^")


class Converter:
    """Walks the TF.js graph in topological order and emits ONNX nodes."""

    def __init__(self, graph: list[dict], weights: dict[str, tuple[np.ndarray, bool]]):
        self.nodes_by_name = {n["name"]: n for n in graph}
        self.weights = weights
        self.onnx_nodes: list[onnx.NodeProto] = []
        self.initializers: dict[str, onnx.TensorProto] = {}
        self.counter = 0

    def fresh(self, base: str) -> str:
        self.counter += 1
        return f"{base}__{self.counter}"

    def const(self, name: str) -> np.ndarray:
        """Value of a Const node, dequantised to float32 (for ops that need it rearranged)."""
        arr, _ = self.weights[name]
        return arr.astype(np.float32) if arr.dtype == np.float16 else arr

    def add_init(self, name: str, arr: np.ndarray) -> str:
        self.initializers[name] = numpy_helper.from_array(arr, name)
        return name

    def add_float_init(self, name: str, arr: np.ndarray, fp16: bool) -> str:
        """Store a weight; fp16-quantised ones as float16 + Cast so the file stays small."""
        if fp16:
            self.add_init(name + "__fp16", arr.astype(np.float16))
            self.node("Cast", [name + "__fp16"], [name], to=TensorProto.FLOAT)
        else:
            self.add_init(name, arr.astype(np.float32))
        return name

    def node(self, op: str, inputs: list[str], outputs: list[str], **attrs) -> None:
        self.onnx_nodes.append(helper.make_node(op, inputs, outputs, name=self.fresh(op), **attrs))

    def emit_const(self, n: dict) -> None:
        arr, fp16 = self.weights[n["name"]]
        if arr.dtype == np.int32:
            self.add_init(n["name"], arr.astype(np.int64))
        else:
            self.add_float_init(n["name"], arr, fp16)

    def to_nchw(self, x: str) -> str:
        y = self.fresh(x + "_nchw")
        self.node("Transpose", [x], [y], perm=NHWC_TO_NCHW)
        return y

    def to_nhwc(self, x: str, out: str) -> None:
        self.node("Transpose", [x], [out], perm=NCHW_TO_NHWC)

    def pad_attrs(self, n: dict) -> dict:
        padding = attr_str(n, "padding")
        if padding == "SAME":
            return {"auto_pad": "SAME_UPPER"}
        if padding == "VALID":
            return {"auto_pad": "VALID"}
        raise ValueError(f"{n['name']}: padding {padding} not supported")

    def check_nhwc(self, n: dict) -> None:
        if "data_format" in n.get("attr", {}) and attr_str(n, "data_format") != "NHWC":
            raise ValueError(f"{n['name']}: only NHWC supported")

    def emit_conv(self, n: dict) -> None:
        """Conv2D, _FusedConv2D and DepthwiseConv2dNative (with optional BiasAdd + activation)."""
        self.check_nhwc(n)
        inputs = [clean(i) for i in n["input"]]
        x, w_name = inputs[0], inputs[1]
        w = self.const(w_name)
        _, fp16 = self.weights[w_name]
        strides = attr_list(n, "strides")[1:3]
        dil = attr_list(n, "dilations")[1:3] if "dilations" in n["attr"] else [1, 1]
        kh, kw = w.shape[0], w.shape[1]
        if n["op"] == "DepthwiseConv2dNative":
            c, m = w.shape[2], w.shape[3]
            # [kh,kw,C,M] -> [C,M,kh,kw] -> [C*M,1,kh,kw]; output channel c*M+m as in TF.
            w_onnx = w.transpose(2, 3, 0, 1).reshape(c * m, 1, kh, kw)
            group = int(c)
        else:
            w_onnx = w.transpose(3, 2, 0, 1)  # [kh,kw,in,out] -> [out,in,kh,kw]
            group = 1
        w_init = self.add_float_init(self.fresh(w_name + "_oihw"), w_onnx, fp16)
        fused = []
        if n["op"] == "_FusedConv2D":
            fused = [base64.b64decode(s).decode() for s in n["attr"]["fused_ops"]["list"].get("s", [])]
        conv_inputs = [self.to_nchw(x), w_init]
        extra = inputs[2:]
        if fused and fused[0] == "BiasAdd":
            conv_inputs.append(self.flat_bias(extra.pop(0)))
            fused = fused[1:]
        elif fused:
            raise ValueError(f"{n['name']}: fused ops {fused} not supported")
        y = self.fresh(n["name"] + "_conv")
        self.node(
            "Conv", conv_inputs, [y], kernel_shape=[int(kh), int(kw)], strides=strides,
            dilations=dil, group=group, **self.pad_attrs(n),
        )
        self.finish_activation(n["name"], y, fused, extra, nchw=True)

    def flat_bias(self, name: str) -> str:
        arr, fp16 = self.weights[name]
        return self.add_float_init(self.fresh(name + "_flat"), arr.reshape(-1), fp16)

    def finish_activation(self, out: str, y: str, fused: list[str], extra: list[str], nchw: bool) -> None:
        """Apply the remaining fused activation in NHWC and name the result as the TF node."""
        if nchw:
            z = self.fresh(out + "_nhwc") if fused else out
            self.to_nhwc(y, z)
        else:
            z = y
        if not fused:
            if not nchw:
                self.node("Identity", [z], [out])
            return
        if len(fused) != 1:
            raise ValueError(f"{out}: fused ops {fused} not supported")
        act = fused[0]
        if act == "Relu":
            self.node("Relu", [z], [out])
        elif act == "Relu6":
            self.relu6(z, out)
        elif act == "Prelu":
            self.node("PRelu", [z, clean(extra[0])], [out])
        else:
            raise ValueError(f"{out}: activation {act} not supported")

    def relu6(self, x: str, out: str) -> None:
        lo = self.add_init(self.fresh("zero"), np.array(0, np.float32))
        hi = self.add_init(self.fresh("six"), np.array(6, np.float32))
        self.node("Clip", [x, lo, hi], [out])

    def emit_pool(self, n: dict) -> None:
        self.check_nhwc(n)
        k = attr_list(n, "ksize")[1:3]
        s = attr_list(n, "strides")[1:3]
        y = self.fresh(n["name"] + "_pool")
        op = {"MaxPool": "MaxPool", "AvgPool": "AveragePool"}[n["op"]]
        self.node(op, [self.to_nchw(clean(n["input"][0]))], [y], kernel_shape=k, strides=s, **self.pad_attrs(n))
        self.to_nhwc(y, n["name"])

    def emit_pad(self, n: dict) -> None:
        x, p = [clean(i) for i in n["input"][:2]]
        paddings = self.const(p).astype(np.int64)  # [rank, 2] (before, after)
        pads = self.add_init(self.fresh(p + "_onnx"), np.concatenate([paddings[:, 0], paddings[:, 1]]))
        self.node("Pad", [x, pads], [n["name"]], mode="constant")

    def emit_matmul(self, n: dict) -> None:
        inputs = [clean(i) for i in n["input"]]
        attrs = n.get("attr", {})
        if attrs.get("transpose_a", {}).get("b") or attrs.get("transpose_b", {}).get("b"):
            raise ValueError(f"{n['name']}: transposed MatMul not supported")
        fused = []
        if n["op"] == "_FusedMatMul":
            fused = [base64.b64decode(s).decode() for s in attrs["fused_ops"]["list"].get("s", [])]
        y = self.fresh(n["name"] + "_mm") if fused else n["name"]
        self.node("MatMul", inputs[:2], [y])
        extra = inputs[2:]
        if fused and fused[0] == "BiasAdd":
            b = self.fresh(n["name"] + "_bias")
            self.node("Add", [y, extra.pop(0)], [b] if len(fused) > 1 else [n["name"]])
            y = b
            fused = fused[1:]
        if fused:
            self.finish_activation(n["name"], y, fused, extra, nchw=False)

    def emit(self, n: dict) -> None:
        op = n["op"]
        ins = [clean(i) for i in n.get("input", []) if not i.startswith("^")]
        simple = {
            "AddV2": "Add", "Add": "Add", "Sub": "Sub", "Mul": "Mul", "Maximum": "Max", "Minimum": "Min",
            "Relu": "Relu", "Sigmoid": "Sigmoid", "Identity": "Identity", "BiasAdd": "Add",
        }
        if op == "Const":
            self.emit_const(n)
        elif op in ("Conv2D", "_FusedConv2D", "DepthwiseConv2dNative"):
            self.emit_conv(n)
        elif op in ("MaxPool", "AvgPool"):
            self.emit_pool(n)
        elif op == "Pad":
            self.emit_pad(n)
        elif op in ("MatMul", "_FusedMatMul"):
            self.emit_matmul(n)
        elif op in simple:
            self.node(simple[op], ins, [n["name"]])
        elif op == "Relu6":
            self.relu6(ins[0], n["name"])
        elif op == "Prelu":
            self.node("PRelu", ins, [n["name"]])
        elif op == "Softmax":
            self.node("Softmax", ins, [n["name"]], axis=-1)
        elif op == "Reshape":
            self.node("Reshape", ins, [n["name"]])
        elif op == "Mean":
            axes = [int(a) for a in self.const(ins[1]).reshape(-1)]
            keep = int(bool(n["attr"].get("keep_dims", {}).get("b", False)))
            self.node("ReduceMean", [ins[0]], [n["name"]], axes=axes, keepdims=keep)
        else:
            raise ValueError(f"{n['name']}: op {op} not supported")


def reachable(nodes_by_name: dict[str, dict], outputs: list[str]) -> set[str]:
    """Names of the nodes the requested outputs depend on (prunes e.g. faceres' age/gender heads)."""
    seen: set[str] = set()
    stack = list(outputs)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(clean(i) for i in nodes_by_name[name].get("input", []))
    return seen


def topo_order(nodes_by_name: dict[str, dict], keep: set[str]) -> list[dict]:
    order: list[dict] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        stack = [(name, False)]
        while stack:
            cur, expanded = stack.pop()
            if cur in done:
                continue
            if expanded:
                done.add(cur)
                order.append(nodes_by_name[cur])
                continue
            stack.append((cur, True))
            for i in nodes_by_name[cur].get("input", []):
                if clean(i) not in done:
                    stack.append((clean(i), False))

    for name in sorted(keep):
        visit(name)
    return order


def prune(nodes: list[onnx.NodeProto], inits: dict[str, onnx.TensorProto], outputs: list[str]):
    """Drop nodes and initializers no output needs (e.g. TF-layout kernels replaced by their ONNX layout)."""
    needed = set(outputs)
    kept: list[onnx.NodeProto] = []
    for nd in reversed(nodes):
        if any(o in needed for o in nd.output):
            kept.append(nd)
            needed.update(nd.input)
    kept.reverse()
    return kept, [t for name, t in inits.items() if name in needed]


def convert(model_json: str, out_path: str, outputs: dict[str, str]) -> dict:
    """Convert one model; returns provenance facts for the manifest."""
    model_dir = os.path.dirname(model_json)
    spec = json.load(open(model_json))
    graph = spec["modelTopology"]["node"]
    weights = load_weights(model_dir, spec["weightsManifest"])
    conv = Converter(graph, weights)
    keep = reachable(conv.nodes_by_name, list(outputs))
    placeholders = [n for n in graph if n["op"] == "Placeholder" and n["name"] in keep]
    for n in topo_order(conv.nodes_by_name, keep):
        if n["op"] != "Placeholder":
            conv.emit(n)
    for tf_name, onnx_name in outputs.items():
        conv.node("Identity", [tf_name], [onnx_name])
    inputs = []
    for p in placeholders:
        dims = [int(d.get("size", -1)) for d in p["attr"]["shape"]["shape"]["dim"]]
        shape = ["N" if d == -1 else d for d in dims]
        inputs.append(helper.make_tensor_value_info(p["name"], TensorProto.FLOAT, shape))
    nodes, inits = prune(conv.onnx_nodes, conv.initializers, list(outputs.values()))
    g = helper.make_graph(nodes, os.path.basename(out_path), inputs, [], inits)
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="facet-sr tfjs_to_onnx")
    model.ir_version = 8
    # Output types come from ONNX shape inference rather than being declared by hand.
    inferred = {v.name: v for v in onnx.shape_inference.infer_shapes(model).graph.value_info}
    model.graph.output.extend(inferred[o] for o in outputs.values())
    onnx.checker.check_model(model)
    onnx.save(model, out_path)
    files = [model_json] + [os.path.join(model_dir, p) for grp in spec["weightsManifest"] for p in grp["paths"]]
    return {
        "inputs": [
            {"name": p["name"], "shape": [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]}
            for p, i in zip(placeholders, inputs)
        ],
        "original_files": {os.path.basename(f): hashlib.sha256(open(f, "rb").read()).hexdigest() for f in files},
        "onnx_sha256": hashlib.sha256(open(out_path, "rb").read()).hexdigest(),
        "onnx_bytes": os.path.getsize(out_path),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_json")
    ap.add_argument("out")
    ap.add_argument("--output", action="append", required=True, help="tf_node_name=onnx_output_name")
    args = ap.parse_args()
    outputs = dict(o.split("=", 1) for o in args.output)
    info = convert(args.model_json, args.out, outputs)
    json.dump(info, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
