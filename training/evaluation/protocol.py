"""The evaluation protocol as data, identical to src/core/eval/protocol.ts: faces, gallery, seeds, methods."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

SEED_RULE = "face i samples candidate 0 of C5 with seed (baseSeed + i) mod 2^64"

PRESET_LABELS = {
    "fast": "Fast",
    "sde-ve": "SDE-VE",
    "sde-vecs": "SDE-VEcs",
    "sde-vp": "SDE-VP",
    "sde-subvp": "SDE-subVP",
    "heun": "Heun ODE",  # Python evaluator only (not an app preset): the earlier stand-in for 'fast'
}


@dataclass(frozen=True)
class ManifestRow:
    """A photo and its identity."""

    file: str
    identity: str


def parse_manifest(text: str) -> list[ManifestRow]:
    """Rows of a manifest CSV with `file` and `identity_folder` columns; raises naming the bad line."""
    lines = [l for l in text.splitlines() if l.strip()]
    header = lines[0].split(",") if lines else []
    if "file" not in header or "identity_folder" not in header:
        raise ValueError("manifest.csv needs the columns file and identity_folder.")
    fi, ii = header.index("file"), header.index("identity_folder")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cols = line.split(",")
        file = cols[fi].strip() if fi < len(cols) else ""
        ident = cols[ii].strip() if ii < len(cols) else ""
        if not file or not ident or "/" in file or ".." in file:
            raise ValueError(f'manifest.csv line {n} is not "file,identity": {line}')
        rows.append(ManifestRow(file, ident))
    return rows


def select_faces(rows: Sequence[ManifestRow], count: int) -> tuple[list[ManifestRow], list[ManifestRow]]:
    """(probes, gallery): gallery = first photo of each identity; probes round-robin over identities' later photos."""
    if not isinstance(count, int) or count < 1:
        raise ValueError(f"select_faces: count must be a positive integer, not {count}.")
    by_identity: dict[str, list[str]] = {}
    for r in rows:
        by_identity.setdefault(r.identity, []).append(r.file)
    gallery = [ManifestRow(files[0], ident) for ident, files in by_identity.items()]
    probes: list[ManifestRow] = []
    rnd = 1
    while len(probes) < count:
        added = False
        for ident, files in by_identity.items():
            if rnd >= len(files):
                continue
            probes.append(ManifestRow(files[rnd], ident))
            added = True
            if len(probes) == count:
                break
        if not added:
            break
        rnd += 1
    if len(probes) < count:
        raise ValueError(
            f"select_faces: the manifest has only {len(probes)} photos besides the gallery; {count} asked for."
        )
    return probes, gallery


def face_seed(base_seed: str, index: int) -> str:
    """The seed of face `index` (SEED_RULE) as a decimal string."""
    return str((int(base_seed) + index) % (1 << 64))


def _fmt(v: float) -> str:
    """Numbers as JavaScript prints them in template strings (0.16 -> '0.16', 50 -> '50')."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def method_id(model_id: str, preset: str, overrides: dict) -> str:
    """`m1/sde-vecs[N=100,r=0.16]` from model, preset and overrides (steps, correctorSteps, snr)."""
    parts = []
    if "steps" in overrides:
        parts.append(f"N={_fmt(overrides['steps'])}")
    if "correctorSteps" in overrides:
        parts.append(f"M={_fmt(overrides['correctorSteps'])}")
    if "snr" in overrides:
        parts.append(f"r={_fmt(overrides['snr'])}")
    return f"{model_id}/{preset}" + (f"[{','.join(parts)}]" if parts else "")


@dataclass
class MethodSpec:
    """A method to run; `tags` are planned experiment tags (an `nfe` tag's NFE is measured by the run)."""

    kind: str
    id: str
    label: str
    tags: list = field(default_factory=list)
    model_id: Optional[str] = None
    preset: Optional[str] = None
    overrides: dict = field(default_factory=dict)


def plan_methods(
    model_ids: Sequence[str],
    presets: Sequence[str],
    r_sweep: Sequence[float] = (),
    fast_steps: Sequence[int] = (),
    pc_steps_sweep: Sequence[int] = (),
    pc_steps: Optional[int] = None,
    sweep_steps: Optional[int] = None,
) -> list[MethodSpec]:
    """Bicubic and HR first, then per model the table presets, the r sweep and the NFE sweeps (merged by id)."""
    table = {"experiment": "table"}
    out = [
        MethodSpec("bicubic", "bicubic", "Bicubic", [table]),
        MethodSpec("hr", "hr", "HR (upper bound)", [table]),
    ]

    def add(model_id: str, preset: str, overrides: dict, tag: dict) -> None:
        mid = method_id(model_id, preset, overrides)
        for m in out:
            if m.id == mid:
                m.tags.append(tag)
                return
        names = {"steps": "N", "snr": "r", "correctorSteps": "M"}
        extra = [f"{names[k]}={_fmt(v)}" for k, v in overrides.items()]
        label = PRESET_LABELS[preset] + (f" ({', '.join(extra)})" if extra else "")
        if len(model_ids) > 1:
            label += f" · {model_id}"
        out.append(MethodSpec("model", mid, label, [tag], model_id, preset, dict(overrides)))

    for model_id in model_ids:
        for p in presets:
            add(model_id, p, {"steps": pc_steps} if p != "fast" and pc_steps is not None else {}, table)
        for r in r_sweep:
            steps = sweep_steps if sweep_steps is not None else pc_steps
            o = {"steps": steps} if steps is not None else {}
            o["snr"] = r
            add(model_id, "sde-vecs", o, {"experiment": "r-sweep", "r": r})
        for s in fast_steps:
            add(model_id, "fast", {"steps": s}, {"experiment": "nfe", "family": "fast"})
        for s in pc_steps_sweep:
            add(model_id, "sde-ve", {"steps": s}, {"experiment": "nfe", "family": "pc"})
    return out
