"""The GPU pack holds exactly the manifest, the probes and the gallery of a run, in the data set's layout."""
import os
import tarfile

import pytest

from training.evaluation.pack_eval import pack
from training.evaluation.protocol import parse_manifest, select_faces
from training.paths import data_dir

CELEBA = data_dir("eval", "celeba")


@pytest.mark.skipif(not os.path.isdir(CELEBA), reason="shared data not mounted")
def test_pack_holds_the_run(tmp_path):
    out = tmp_path / "p.tar"
    info = pack(10, str(out))
    with open(os.path.join(CELEBA, "manifest.csv")) as fh:
        probes, gallery = select_faces(parse_manifest(fh.read()), 10)
    with tarfile.open(out) as tar:
        names = set(tar.getnames())
    assert names == {"manifest.csv"} | {r.file for r in probes + gallery}
    assert info["files"] == len(names) == 1 + 10 + 200
