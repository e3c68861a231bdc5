"""Records `facet eval` results in a model manifest's `metrics.facet_eval` (the numbers a shipped model is judged by).

    /usr/bin/python3 -m training.record_eval models/sr-ve-….json docs/results/…/results.json [more results.json]

Each results file becomes one entry: its path, set, face count and command, and the per-method means of the
reference methods (bicubic, hr) and of this model's methods (keyed by what follows the model id: `fast`,
`fast[K=4]`, `sde-ve[N=1000]`). Entries for the same results path are replaced, others kept, so re-running is safe.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

REFERENCE_KINDS = ("bicubic", "hr")
METRICS = ("psnr", "ssim", "consistency", "cs")


def method_means(method: dict[str, Any]) -> dict[str, Any]:
    summary = method["summary"]
    out: dict[str, Any] = {m: summary[m]["mean"] for m in METRICS}
    out["rank1"] = summary["rank1"]
    out["nfe"] = method["nfe"]
    return out


def eval_entry(results: dict[str, Any], results_path: str, model_id: str) -> dict[str, Any]:
    """One `metrics.facet_eval` entry; raises if the results hold no method of this model."""
    methods: dict[str, Any] = {}
    for m in results["methods"]:
        if m["kind"] in REFERENCE_KINDS:
            methods[m["id"]] = method_means(m)
        elif m["kind"] == "model" and m["modelId"] == model_id:
            methods[m["id"].split("/", 1)[1]] = method_means(m)
    if not any(k not in REFERENCE_KINDS for k in methods):
        raise ValueError(f"{results_path}: no method of model {model_id} (methods: "
                         f"{', '.join(m['id'] for m in results['methods'])})")
    return {
        "results": results_path,
        "faces": len(results["protocol"]["faces"]),
        "set": results["protocol"]["set"]["name"],
        "command": results["command"],
        "methods": methods,
    }


def record(manifest: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest with `entries` merged into metrics.facet_eval (same results path: replaced in place)."""
    metrics = manifest.setdefault("metrics", {})
    new = {e["results"]: e for e in entries}
    merged = [new.pop(e["results"], e) for e in metrics.get("facet_eval", [])]
    metrics["facet_eval"] = merged + list(new.values())
    return manifest


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("manifest", help="model manifest (models/<id>.json)")
    p.add_argument("results", nargs="+", help="facet eval results.json files")
    args = p.parse_args(argv)
    with open(args.manifest) as fh:
        manifest = json.load(fh)
    entries = []
    for path in args.results:
        with open(path) as fh:
            entries.append(eval_entry(json.load(fh), os.path.relpath(path), manifest["id"]))
    with open(args.manifest, "w") as fh:
        json.dump(record(manifest, entries), fh, indent=2)
        fh.write("\n")
    print(f"{args.manifest}: {len(entries)} facet eval entr{'y' if len(entries) == 1 else 'ies'} recorded")


if __name__ == "__main__":
    main()
