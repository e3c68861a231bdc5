"""The Python protocol, statistics and identification give the same answers as the TypeScript ones
(test/core/eval/*.test.ts uses the same cases)."""
import math

import numpy as np
import pytest

from training.evaluation.aggregate import summarise_method
from training.evaluation.identification import cosine, rank1
from training.evaluation.protocol import ManifestRow, face_seed, method_id, parse_manifest, plan_methods, select_faces
from training.evaluation.stats import mean_std, pearson
from training.evaluation.table import format_mean_std

ROWS = [ManifestRow(f, i) for f, i in
        [("a1", "A"), ("b1", "B"), ("a2", "A"), ("c1", "C"), ("a3", "A"), ("b2", "B")]]


def test_mean_std_and_pearson():
    assert mean_std([2, 4, 4, 4, 5, 5, 7, 9]) == pytest.approx((5, math.sqrt(32 / 7)))
    assert mean_std([3.0]) == (3.0, 0.0)
    assert math.isnan(mean_std([])[0])
    assert pearson([1, 2, 3], [1, 3, 2]) == pytest.approx(0.5, abs=1e-12)
    assert pearson([1, 2, 3, 4], [8, 6, 4, 2]) == pytest.approx(-1, abs=1e-12)
    assert pearson([1, 2, 3], [4, 4, 4]) is None
    with pytest.raises(ValueError, match="2 x values but 1"):
        pearson([1, 2], [1])


def test_select_faces_matches_typescript():
    probes, gallery = select_faces(ROWS, 3)
    assert [(g.identity, g.file) for g in gallery] == [("A", "a1"), ("B", "b1"), ("C", "c1")]
    assert [(p.identity, p.file) for p in probes] == [("A", "a2"), ("B", "b2"), ("A", "a3")]
    with pytest.raises(ValueError, match="only 3 photos"):
        select_faces(ROWS, 4)
    assert face_seed("18446744073709551615", 2) == "1"


def test_manifest_errors():
    assert parse_manifest("file,identity_folder,x\na.jpg,celeb_1,t\n") == [ManifestRow("a.jpg", "celeb_1")]
    with pytest.raises(ValueError, match="line 2"):
        parse_manifest("file,identity_folder\n../etc/passwd,x\n")


def test_plan_and_ids():
    plan = plan_methods(["m"], ["fast", "sde-vecs"], r_sweep=[0.1, 0.2], fast_steps=[5, 10], pc_steps_sweep=[50],
                        pc_steps=50)
    ids = [m.id for m in plan]
    assert ids[:2] == ["bicubic", "hr"] and len(set(ids)) == len(ids)
    assert "m/sde-vecs[N=50,r=0.1]" in ids and "m/fast[N=5]" in ids
    assert next(m for m in plan if m.id == "m/sde-ve[N=50]").tags == [{"experiment": "nfe", "family": "pc"}]
    assert method_id("m", "sde-vecs", {"steps": 10, "correctorSteps": 2, "snr": 0.16}) == "m/sde-vecs[N=10,M=2,r=0.16]"


def test_rank1_and_cosine():
    g = [("a", np.array([1, 0, 0.0])), ("b", np.array([0, 1, 0.0])), ("c", np.array([0, 0, 1.0]))]
    assert rank1(np.array([0.9, 0.1, 0]), "a", g).hit
    assert rank1(np.array([1, 1, 0.0]), "b", g).identity == "a"  # tie -> earlier entry
    with pytest.raises(ValueError, match="identity z has no photo"):
        rank1(np.array([1, 0, 0.0]), "z", g)
    assert cosine(np.array([1, 2, 3.0]), np.array([4, 5, 6.0])) == pytest.approx(32 / math.sqrt(14 * 77))


def test_summary_and_format():
    faces = [{"psnr": 20.0 + i, "ssim": 0.5, "consistency": 1.0, "cs": 0.6 + 0.02 * i, "rank1Hit": i % 2 == 1}
             for i in range(4)]
    s = summarise_method(faces)
    assert s["psnr"]["mean"] == pytest.approx(21.5) and s["psnr"]["std"] == pytest.approx(math.sqrt(5 / 3))
    assert s["rank1"] == 0.5 and s["pearsonCsPsnr"] == pytest.approx(1)
    hr = summarise_method([dict(f, psnr=None) for f in faces])
    assert hr["psnr"] == {"mean": None, "std": None, "n": 0} and hr["pearsonCsPsnr"] is None
    assert format_mean_std(23.456, 1.2, 2) == "23.46 ± 1.20"
    assert format_mean_std(None, None, 2) == "∞"
    assert format_mean_std(0.125, 0.0, 2) == "0.13 ± 0.00"  # JavaScript toFixed rounds the exact tie up


def test_gradient_ratio_and_streak():
    """Streak check (issue 27), as src/core/metrics/streak.ts: vertical stripes high, horizontal low, HR row 1."""
    import torch

    from training.evaluation.metrics import STREAK_ROWS, gradient_ratio
    from training.evaluation.table import markdown_table

    x = torch.arange(128, dtype=torch.float64)
    vertical = (0.5 + 0.3 * torch.sin(0.9 * x)).view(1, 1, 1, 128).expand(1, 3, 128, 128)
    horizontal = vertical.transpose(2, 3)
    assert gradient_ratio(vertical)[0] > 1000 and gradient_ratio(horizontal)[0] < 1e-3
    checker = ((x.view(-1, 1) + x.view(1, -1)) % 2).expand(1, 3, 128, 128)
    assert gradient_ratio(checker)[0] == pytest.approx(127 * STREAK_ROWS / (128 * (STREAK_ROWS - 1)), rel=1e-12)
    faces = [{"psnr": 20.0, "ssim": 0.5, "consistency": 1.0, "cs": 0.6, "rank1Hit": False, "gradientRatio": r}
             for r in (1.0, 3.0)]
    s = summarise_method(faces, 1.0)
    assert s["gradientRatio"]["mean"] == 2.0 and s["streak"] == 2.0
    assert "streak" not in summarise_method(faces) and "gradientRatio" not in summarise_method(
        [{k: v for k, v in f.items() if k != "gradientRatio"} for f in faces])
    row = markdown_table([{"label": "m", "nfe": 0, "summary": s}]).splitlines()[2]
    assert row.endswith("| 0 | 2.000 |")
