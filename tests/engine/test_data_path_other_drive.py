"""A dataset scene's CSV path, saved relative to the scene's folder, stays absolute when no
relative path exists: on Windows, a file on another drive (simulated: os.path.relpath
raises as ntpath does for C: and D:)."""

import ntpath
import os

from descentlab.engine.data.config import CSV, DataConfig, data_dict


def test_a_csv_beside_the_scene_is_saved_relative(tmp_path):
    cfg = DataConfig(dataset=CSV, model="linear", csv=str(tmp_path / "data" / "points.csv"))
    assert data_dict(cfg, tmp_path)["csv"] == "data/points.csv"


def test_a_csv_on_another_drive_is_saved_as_it_is(monkeypatch, tmp_path):
    monkeypatch.setattr(os.path, "relpath", lambda path, start: ntpath.relpath("D:\\data\\points.csv", "C:\\lecture"))
    cfg = DataConfig(dataset=CSV, model="linear", csv="D:/data/points.csv")
    assert data_dict(cfg, tmp_path)["csv"] == "D:/data/points.csv"
