"""record_eval: per-method means of a results file land in the manifest; re-recording replaces, never duplicates."""

import json

import pytest

from training.record_eval import eval_entry, main


def _method(mid, kind, model_id, psnr, nfe=0):
    summary = {m: {"mean": v, "std": 0.0, "n": 2} for m, v in
               {"psnr": psnr, "ssim": 0.5, "consistency": 3.0, "cs": 0.6}.items()}
    summary["rank1"] = 0.25
    return {"id": mid, "kind": kind, "modelId": model_id, "nfe": nfe, "summary": summary, "perFace": []}


def _results(psnr_fast):
    return {
        "command": "facet eval run --faces 2",
        "protocol": {"set": {"name": "eval/celeba"}, "faces": [{"index": 0}, {"index": 1}]},
        "methods": [_method("bicubic", "bicubic", None, 22.0), _method("hr", "hr", None, None),
                    _method("m1/fast", "model", "m1", psnr_fast, 25), _method("m2/fast", "model", "m2", 99.0, 25)],
    }


def test_entry_keeps_references_and_this_models_methods_only():
    e = eval_entry(_results(23.5), "r/results.json", "m1")
    assert e["faces"] == 2 and e["set"] == "eval/celeba"
    assert sorted(e["methods"]) == ["bicubic", "fast", "hr"]
    assert e["methods"]["fast"]["psnr"] == 23.5 and e["methods"]["fast"]["nfe"] == 25


def test_results_without_the_model_are_refused():
    with pytest.raises(ValueError, match="no method of model m3"):
        eval_entry(_results(23.5), "r/results.json", "m3")


def test_rerecording_replaces_the_entry_in_place(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m1.json").write_text(json.dumps({"id": "m1", "metrics": {"validation": {"psnr": 1}}}))
    for name, psnr in (("a", 23.0), ("b", 24.0), ("a", 25.0)):
        (tmp_path / name).mkdir(exist_ok=True)
        (tmp_path / name / "results.json").write_text(json.dumps(_results(psnr)))
        main(["m1.json", f"{name}/results.json"])
    man = json.loads((tmp_path / "m1.json").read_text())
    assert man["metrics"]["validation"] == {"psnr": 1}
    assert [e["results"] for e in man["metrics"]["facet_eval"]] == ["a/results.json", "b/results.json"]
    assert man["metrics"]["facet_eval"][0]["methods"]["fast"]["psnr"] == 25.0
