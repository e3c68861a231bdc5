"""C1 crops, the data readers and the packer round trip."""

import numpy as np
import torch
from PIL import Image

from training.calibrate_frame import TEMPLATE_EYE_L, TEMPLATE_EYE_R, TEMPLATE_MOUTH
from training.data import celeba_files, celebahq32_files, ffhq_files, load_c1, utkface_files
from training.frame import BOXES, jittered_frame, to_frame, valid_fraction
from training.streaks import gradient_ratio, streak_ratio
from training.pack import read_pack, write_pack

# Mean-face landmarks measured by calibrate_frame.py (eye L, eye R, mouth centre), per set.
MEASURED = {
    "utkface": [(59.5, 57.5), (138.5, 57.5), (99.0, 137.5)],
    "celeba": [(69.5, 111.5), (108.5, 111.5), (89.0, 153.5)],
    "celebahq32": [(48.5, 60.5), (80.5, 60.5), (64.5, 94.5)],
    "ffhq1k": [(96.5, 119.5), (160.5, 120.5), (128.5, 188.5)],
}


def test_boxes_map_measured_landmarks_near_the_template():
    template = np.array([TEMPLATE_EYE_L, TEMPLATE_EYE_R, TEMPLATE_MOUTH])
    for name, pts in MEASURED.items():
        left, top, right, bottom = BOXES[name]
        assert abs((right - left) - (bottom - top)) < 0.02  # square box: a similarity, no stretch
        s = 128.0 / (right - left)
        mapped = (np.array(pts) - [left, top]) * s
        assert np.sqrt(((mapped - template) ** 2).sum(1)).max() < 3.0, name


def test_to_frame_places_a_marker_where_the_box_says():
    img = np.zeros((218, 178, 3), np.uint8)
    img[109:114, 67:72] = 255  # a bright 5x5 dot centred on (69.5, 111.5), the measured CelebA left eye
    out = to_frame(Image.fromarray(img), "celeba").astype(float).sum(2)
    ys, xs = np.nonzero(out > out.max() * 0.5)
    assert abs(xs.mean() + 0.5 - TEMPLATE_EYE_L[0]) < 1.5 and abs(ys.mean() + 0.5 - TEMPLATE_EYE_L[1]) < 1.5
    ident = (np.arange(128 * 128 * 3) % 251).astype(np.uint8).reshape(128, 128, 3)
    assert np.array_equal(to_frame(Image.fromarray(ident), "c1"), ident)
    assert valid_fraction("celeba", 178, 218) == 1.0 and 0.6 < valid_fraction("utkface", 200, 200) < 0.7


def test_readers():
    train, held = utkface_files("train"), utkface_files("heldout")
    assert not {f.path for f in train} & {f.path for f in held}
    assert len(held) > 400 and len(train) > 20 * len(held)
    cel = celeba_files()
    assert len({f.identity for f in cel}) == 200 and all(f.identity for f in cel)
    assert len(celebahq32_files()) == 32
    for f in (train[0], cel[0], celebahq32_files()[0]):
        a = load_c1(f)
        assert a.shape == (128, 128, 3) and a.dtype == np.uint8 and a.std() > 10


def test_pack_round_trip(tmp_path):
    out = str(tmp_path / "faces.tar")
    meta = write_pack(out, max_mib=0.05, quality=90, n_heldout=2, n_celeba=3, limit=40)
    sets = read_pack(out)
    assert sets["train"][0].shape[1:] == (128, 128, 3) and len(sets["train"][0]) == meta["counts"]["train"]
    assert 5 < meta["counts"]["train"] < 40  # the byte budget, not the limit, stopped it
    assert meta["bytes"] <= 0.05 * 2**20 + 16 * 1024
    assert len(sets["heldout_utk"][0]) == 2 and len(sets["eval_celeba"][0]) == 3
    assert len({e["identity"] for e in sets["eval_celeba"][1]}) == 3
    # WebP q90 keeps faces close to the C1 crops (PSNR > 35 dB).
    first = utkface_files("heldout")[0]
    ref = load_c1(first).astype(float)
    mse = ((sets["heldout_utk"][0][0].astype(float) - ref) ** 2).mean()
    assert 10 * np.log10(255**2 / mse) > 35


def test_ffhq_covers_c1_and_jitter_moves_the_frame():
    files, held = ffhq_files("train"), ffhq_files("heldout")
    assert len(files) + len(held) == 1100 and not {f.path for f in files} & {f.path for f in held}
    assert valid_fraction("ffhq1k", 256, 256) == 1.0  # no padding: the whole C1 frame is real
    img = np.zeros((256, 256, 3), np.uint8)
    img[118:123, 94:99] = 255  # a dot on the measured left eye (96.5, 119.5)
    im = Image.fromarray(img)
    plain = jittered_frame(im, "ffhq1k", 0.0, 0.0, 1.0, 0.0)
    assert np.array_equal(plain, to_frame(im, "ffhq1k"))  # no jitter: the calibrated crop itself

    def centre(a):
        ys, xs = np.nonzero(a.astype(float).sum(2) > a.sum(2).max() * 0.5)
        return xs.mean(), ys.mean()

    (x0, y0), (x1, y1) = centre(plain), centre(jittered_frame(im, "ffhq1k", 2.0, -1.0, 1.0, 0.0))
    assert abs((x0 - x1) - 2.0) < 0.6 and abs((y0 - y1) + 1.0) < 0.6  # the frame moved right 2, up 1 C1 px
    _, y_rot = centre(jittered_frame(im, "ffhq1k", 0.0, 0.0, 1.0, 3.0))
    assert abs(y_rot - y0) > 0.8  # a 3 degree turn about the centre lifts or lowers an eye 20 px off-centre


def test_streak_ratio_sees_vertical_streaks():
    rng = np.random.default_rng(0)
    face = torch.from_numpy(rng.random((4, 3, 128, 128), dtype=np.float32))
    streaks = face.clone()
    streaks[:, :, :27] = face[:, :, 26:27]  # edge replication from row 26 upwards, as UTKFace's padding
    streaks[:, :, :27] += torch.from_numpy(rng.random((4, 3, 1, 128), dtype=np.float32)) * 0.1
    assert abs(streak_ratio(face, face) - 1.0) < 1e-6
    assert streak_ratio(streaks, face) > 10.0
    assert float(gradient_ratio(face.transpose(2, 3)).mean()) > 0  # defined for any image
