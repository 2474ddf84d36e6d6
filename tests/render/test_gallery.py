"""The gallery (docs/gallery) was made from the processes and the renderer as they are now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "docs" / "gallery"


def test_gallery_is_up_to_date():
    if not (ROOT / "processes").is_dir():
        pytest.skip("processes/ is not there")
    spec = importlib.util.spec_from_file_location("make_gallery", GALLERY / "make_gallery.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    recorded = (GALLERY / "SOURCES.sha256").read_text(encoding="utf-8").splitlines()
    now = module.digest_lines(ROOT / "processes")
    changed = sorted(set(now) ^ set(recorded))
    assert not changed, (
        "the gallery is stale: run `python docs/gallery/make_gallery.py` "
        f"({len(changed)} line(s) differ, e.g. {changed[0].split()[-1]})"
    )
    readme = (GALLERY / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        if line.startswith("[!["):
            image = line.split("](")[1].split(")")[0]
            assert (GALLERY / image).is_file(), image
