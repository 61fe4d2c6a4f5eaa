"""Datasets as a problem kind: ``[problem]`` with ``dataset = "..."`` (data, model, loss)."""

from ..problems.kind import ProblemKind
from .compile_parts import PARTS
from .config import RUN_KEYS, DataConfig, check_data_scene, data_dict, fit_runs, read_data

DATASET = ProblemKind(
    name="dataset",
    groups=("surfaces", "datasets"),
    precompile={"datasets": PARTS},
    scene_key="dataset",
    config_attr="data",
    config_class=DataConfig,
    read=read_data,
    write=data_dict,
    check=check_data_scene,
    shared_keys=frozenset({"seed", "start"}),  # no gradient noise: batches are the noise
    run_keys=frozenset(RUN_KEYS),
    build=lambda scene: scene.data.build(scene.seed),
    fit_runs=fit_runs,
)
