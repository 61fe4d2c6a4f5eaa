"""engine.compile.compiled_call: kernels call a shared compiled function through its address."""

import numpy as np
import pytest
from numba import errors, njit, types

from descentlab.engine.compile.compiled_call import CompiledFunction
from descentlab.engine.data import kernels as data_kernels
from descentlab.engine.data.problem import DatasetProblem


@njit(cache=False, _nrt=False)
def weighted_sum(a, k, flag):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * k
    return -s if flag else s


WEIGHTED_SUM = CompiledFunction(weighted_sum, types.float64,
                                lambda: (types.float64[::1], types.float64, types.boolean))
call_weighted_sum = WEIGHTED_SUM.call


@njit(cache=False, _nrt=False)
def twice_through_address(at, a, k):
    return call_weighted_sum(at, a, k, True) + call_weighted_sum(at, a, 2, False)


def defines(dispatcher, name: str) -> bool:
    """Whether the LLVM code of ``dispatcher``'s only overload defines function ``name``."""
    (compiled,) = dispatcher.overloads.values()
    return any(line.startswith("define") and f"@{name}(" in line
               for line in compiled.library.get_llvm_str().splitlines())


def test_a_call_through_the_address_computes_what_a_direct_call_does():
    a = np.array([1.0, 2.5, -4.0])
    at = WEIGHTED_SUM.address()
    assert at == WEIGHTED_SUM.address() != 0
    # the literal True and the int 2 are converted to the declared boolean and float64
    assert twice_through_address(at, a, 3.0) == -weighted_sum(a, 3.0, False) + weighted_sum(a, 2.0, False)


def test_the_caller_holds_no_copy_of_the_callee():
    a = np.ones(2)
    twice_through_address(WEIGHTED_SUM.address(), a, 1.0)
    callee = weighted_sum.overloads[WEIGHTED_SUM.argtypes].fndesc.llvm_func_name
    assert defines(weighted_sum, callee)
    assert not defines(twice_through_address, callee)


def test_arguments_that_do_not_fit_the_signature_are_refused_when_the_caller_compiles():
    @njit(cache=False)
    def wrong(at, a):
        return call_weighted_sum(at, a[None, :], 1.0, True)  # a 2-D array

    with pytest.raises(errors.TypingError, match=r"weighted_sum is compiled for \(array\(float64, 1d, C\), "
                                                 r"float64, bool\); called with \(array\(float64, 2d"):
        wrong(WEIGHTED_SUM.address(), np.ones(2))


def test_the_dataset_kernels_call_the_one_compiled_objective():
    """objective_rows, compiled afresh here, calls the objective by address: no copy of
    the network and the loss table inside it (Numba would link, optimise and generate
    that code again for each kernel calling it)."""
    problem = DatasetProblem("moons", "mlp")
    fresh = njit(cache=False, nogil=True, error_model="numpy", _nrt=False)(
        data_kernels.objective_rows.py_func)
    theta = problem.default_start[None, :]
    loss, grad = np.empty(1), np.empty((1, problem.n_params))
    fresh(data_kernels.objective_addresses(), theta, problem.train, problem._idx, 0,
          problem.n_train, problem.net, problem.loss_spec.id, 0.0, 0.0, True, loss, grad,
          np.empty(problem.n_params), problem._work())
    expected_loss, expected_grad = problem.loss_and_grad(problem.default_start)
    assert loss[0] == expected_loss
    np.testing.assert_array_equal(grad[0], expected_grad)
    objective = data_kernels.objective.overloads[data_kernels.OBJECTIVE.argtypes]
    assert not defines(fresh, objective.fndesc.llvm_func_name)

