"""The dataset kernels' precompile parts (engine.compile.precompile): what a first launch's
children compile for datasets. The race and evaluation kernels call the objective through
its compiled address (engine.compile.compiled_call), so each compiles without the other."""

from ..compile.compile_only import compile_only

# The addresses' bundle for compiling a kernel without running it: only its type counts.
_NO_ADDRESSES = (0, 0, 0)


def _small_dataset_problem():
    from . import DatasetProblem, Model, make_dataset

    return DatasetProblem(make_dataset("moons", 24, seed=0),
                          Model("mlp", hidden=(3,), activation="tanh"))


def compile_network() -> None:
    from .kernels import FORWARD

    FORWARD.address()


def compile_losses() -> None:
    from .kernels import CHUNK_LOSSES

    CHUNK_LOSSES.address()


def compile_objective() -> None:
    from .kernels import OBJECTIVE

    OBJECTIVE.address()


def compile_dataset_race() -> None:
    from ..race.race import Race
    from . import problem as dataset_problem
    from .bundles import ObjectiveAt

    problem = _small_dataset_problem()
    race = Race(problem, history=4)  # no run added: that would evaluate the objective
    at = ObjectiveAt(*_NO_ADDRESSES)
    compile_only(dataset_problem._advance_dataset,
                 problem.advance_args(race.runs, race.hist, race.own, 2, (0, 0), at))
    problem.epoch_order(1)


def compile_dataset_eval() -> None:
    import numpy as np

    from . import kernels as data_kernels
    from . import problem as dataset_problem
    from .bundles import ObjectiveAt

    problem = _small_dataset_problem()
    at = ObjectiveAt(*_NO_ADDRESSES)
    theta = problem.default_start[None, :]
    compile_only(dataset_problem._objective_rows_kernel,
                 problem.objective_rows_args(at, theta, problem.train, problem._idx, 0, 4,
                                             problem._default_objective, True, np.empty(1),
                                             np.empty_like(theta)))
    compile_only(data_kernels.forward_rows,  # the data view's predictions
                 problem.forward_rows_args(0, problem.default_start, problem.X,
                                           np.empty((len(problem.X), 1))))


PARTS = {
    "network": compile_network,  # the network's forward pass
    "losses": compile_losses,  # the loss table (over a chunk of samples)
    "objective": compile_objective,  # the objective (back-propagation; it calls the two above)
    "dataset-race": compile_dataset_race,  # the race kernel, the epochs' shuffles
    "dataset-eval": compile_dataset_eval,  # the objective at many points (evaluations, loss maps), the predictions
}
