"""Toy datasets, models and the lecture note's loss table, raced like surfaces.

    import engine
    problem = engine.DatasetProblem("moons", engine.Model("mlp", hidden=(16, 16)), "log")
    path = engine.trajectory(problem, "adam", steps=500, batch_size=32, lr=0.01)

See :mod:`.problem` for batching and loss recording, :mod:`.models` for the parameter
layout, :mod:`.losses` for the loss conventions.
"""

from .datasets import DATASETS, Dataset, DatasetSpec, load_csv, make_dataset
from .losses import LOSSES, SQUARED_LOG_NOTE, LossSpec, get_loss, losses_for
from .models import ACTIVATIONS, MODELS, Model, ModelSpec, Network
from .problem import DatasetProblem, make_problem

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "LOSSES",
    "MODELS",
    "SQUARED_LOG_NOTE",
    "Dataset",
    "DatasetProblem",
    "DatasetSpec",
    "LossSpec",
    "Model",
    "ModelSpec",
    "Network",
    "get_loss",
    "load_csv",
    "losses_for",
    "make_dataset",
    "make_problem",
]
