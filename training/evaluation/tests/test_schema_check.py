"""The results validator accepts what the schema allows and names what it refuses."""
import copy
import json

import pytest

from training.evaluation.schema_check import SCHEMA_PATH, SchemaError, _check, validate_results

H = lambda c: c * 64  # noqa: E731


def results(n=2):
    faces = [{"index": i, "file": f"{i}.jpg", "identity": f"c{i}", "sourceSha256": H("a"), "hrSha256": H("b"),
              "lrSha256": H("c"), "seed": str(i)} for i in range(n)]
    ms = {"mean": 1.0, "std": 0.0, "n": n}
    summary = {"psnr": ms, "ssim": ms, "consistency": ms, "cs": ms, "rank1": 0.5, "pearsonCsPsnr": None}
    per_face = [{"face": i, "psnr": None, "ssim": 1.0, "consistency": 0.0, "cs": 1.0, "rank1Identity": f"c{i}",
                 "rank1Hit": True, "outputSha256": H("d")} for i in range(n)]
    method = lambda mid, kind, tags, model=None: {  # noqa: E731
        "id": mid, "label": mid, "kind": kind, "modelId": model, "preset": None, "sampler": None, "nfe": 0,
        "tags": tags, "perFace": copy.deepcopy(per_face), "summary": summary, "seconds": 0.1}
    return {
        "schemaVersion": 1, "createdAt": "x", "command": "c",
        "producer": {"implementation": "python", "version": "0", "runtime": "torch", "device": "cpu"},
        "protocol": {
            "set": {"name": "s", "manifestSha256": H("e"), "frame": "f"}, "faces": faces,
            "gallery": [{"file": "g", "identity": "c0", "sourceSha256": H("f")}], "baseSeed": "0", "seedRule": "r",
            "models": [{"id": "m", "sha256": H("0"), "sde": {"kind": "ve", "sigmaMin": 0.01, "sigmaMax": 348},
                        "dataRange": "0,1", "trainedOnFaces": False, "note": "n"}],
            "embedder": {"id": "e", "sha256": H("1"), "faceRecognition": False, "note": "n"},
        },
        "methods": [
            method("bicubic", "bicubic", [{"experiment": "table"}]),
            method("m/fast", "model", [{"experiment": "nfe", "family": "fast", "nfe": 9}], "m"),
            dict(method("m/x", "model", [{"experiment": "r-sweep", "r": 0.1}], "m"),
                 sampler={"kind": "heun", "steps": 5, "rho": 7, "eps": 0.002, "churn": 0}),
        ],
    }


def test_accepts_valid_results():
    validate_results(results())


@pytest.mark.parametrize("mutate,message", [
    (lambda r: r["methods"].append(copy.deepcopy(r["methods"][0])), "Duplicate method id bicubic"),
    (lambda r: r["methods"][0]["perFace"].pop(), "scores 1 faces, not 2"),
    (lambda r: r["methods"][1].update(modelId="zz"), "unknown model zz"),
    (lambda r: r["protocol"]["faces"][0].update(hrSha256="xyz"), r"\$.protocol.faces\[0\].hrSha256"),
    (lambda r: r["protocol"]["faces"][0].update(seed="01"), "does not match"),
    (lambda r: r.update(schemaVersion=2), r"\$.schemaVersion: expected 1"),
    (lambda r: r["methods"][0]["perFace"][0].update(cs=1.5), "maximum"),
    (lambda r: r["methods"][0]["tags"].append({"experiment": "r-sweep", "r": -1}), "oneOf|anyOf"),
    (lambda r: r["methods"][2]["sampler"].update(kind="euler"), "alternatives"),
    (lambda r: r["protocol"].update(extra=1), "unexpected key 'extra'"),
    (lambda r: r["methods"][0]["summary"]["psnr"].update(mean=float("nan")), "expected number/null"),
])
def test_refuses_invalid_results(mutate, message):
    r = results()
    mutate(r)
    with pytest.raises(SchemaError, match=message):
        validate_results(r)


def test_unknown_keyword_is_an_error():
    with pytest.raises(SchemaError, match="not supported"):
        _check(1, {"type": "number", "multipleOf": 2}, "$")


def test_schema_uses_only_supported_keywords():
    from training.evaluation.schema_check import _KNOWN

    def walk(node, path):
        assert set(node) <= _KNOWN, f"{path}: {sorted(set(node) - _KNOWN)}"
        for k in ("items",):
            if k in node:
                walk(node[k], f"{path}.{k}")
        for k in ("anyOf", "oneOf", "allOf"):
            for i, sub in enumerate(node.get(k, [])):
                walk(sub, f"{path}.{k}[{i}]")
        for name, sub in node.get("properties", {}).items():
            walk(sub, f"{path}.{name}")

    walk(json.loads(SCHEMA_PATH.read_text()), "$")
