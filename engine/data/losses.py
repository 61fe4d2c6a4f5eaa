"""The loss catalogue: the lecture note's classification table, binary cross-entropy, L1/L2.

Plain data; the maths lives in :mod:`engine.data.kernels`, which dispatches on the ids
below. A loss value is the **mean over the batch** of the per-sample loss exactly as the
table writes it (no ½ factors), plus the optional penalties ``l1·Σ|w| + l2·Σw²`` on the
weights (never on the biases).

Notation, for one sample with network outputs ``o`` (K of them) and class ``c``:

* ``σ(o)`` is the softmax; for a network with ONE output (binary classification) it is the
  two-class distribution ``(1 − s(o), s(o))`` with ``s`` the logistic sigmoid, i.e. the
  softmax of the logits ``(0, o)`` — so ``s(o)`` is the probability of class 1.
* ``y`` is the one-hot label (for one output: ``(1 − c, c)`` against ``σ(o)``).
* ``ŷ = 2y − 1`` is the ±1 label of the margin (hinge) losses; for one output ``ŷ = 2c − 1``.
* The L1 / L2 losses on raw outputs compare ``o`` with the one-hot ``y`` (K outputs), with
  ``ŷ = ±1`` (one output, so that ``o > 0`` ⟺ class 1, as for ``s(o) > ½``), or with the
  real target (regression).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..quoted import quoted
from ..translatable import QT_TRANSLATE_NOOP

# Loss ids: fixed, contiguous, in catalogue order; the kernels dispatch on them.
L1 = 0
L2 = 1
EXPECTATION = 2
REG_EXPECTATION = 3
CHEBYSHEV = 4
HINGE = 5
SQUARED_HINGE = 6
CUBED_HINGE = 7
LOG = 8
SQUARED_LOG = 9
TANIMOTO = 10
CAUCHY_SCHWARZ = 11
BCE = 12
N_LOSSES = 13

SQUARED_LOG_NOTE = QT_TRANSLATE_NOOP(
    "Loss",
    "The lecture note's table prints −Σⱼ [yⱼ log σ(o)ⱼ]², a sign slip: that would be smallest "
    "where σ(o) → 0, i.e. where the prediction is wrong. Implemented: Σⱼ [yⱼ log σ(o)ⱼ]², "
    "which is 0 exactly when the true class gets probability 1."
)


@dataclass(frozen=True)
class LossSpec:
    """One loss: what the GUI shows and which models it fits.

    ``tasks`` is a subset of {"regression", "classification"}; ``outputs`` is "any",
    "single" (only a one-output, sigmoid model) or "multi"; ``note`` is shown with the
    formula when set (the squared log loss's sign fix).
    """

    key: str
    id: int
    name: str
    symbol: str
    formula: str
    formula_html: str
    tasks: frozenset
    outputs: str = "any"
    uses_sigma: bool = False
    note: str = ""
    reference: str = ""

    def fits(self, task: str, n_outputs: int) -> bool:
        if task not in self.tasks:
            return False
        if self.outputs == "single":
            return n_outputs == 1
        if self.outputs == "multi":
            return n_outputs > 1
        return True


_TABLE = "Janocha & Czarnecki, 'On Loss Functions for Deep Neural Networks in Classification' (2017)"
_BOTH = frozenset({"regression", "classification"})
_CLS = frozenset({"classification"})

_SUM_J = "Σ<sub>j</sub> "
_Y = "<b>y</b>"
_O = "<b>o</b>"
_S = "σ(<b>o</b>)"

LOSSES: dict[str, LossSpec] = {
    s.key: s
    for s in (
        LossSpec("l1", L1, QT_TRANSLATE_NOOP("Loss", "L1 loss"), "𝓛₁", "‖y − o‖₁",
                 f"‖{_Y} − {_O}‖<sub>1</sub>", _BOTH,
                 reference=_TABLE + "; for regression the mean absolute error"),
        LossSpec("l2", L2, QT_TRANSLATE_NOOP("Loss", "L2 loss"), "𝓛₂", "‖y − o‖₂²",
                 f"‖{_Y} − {_O}‖<sub>2</sub><sup>2</sup>", _BOTH,
                 reference=_TABLE + "; for regression the mean squared error"),
        LossSpec("expectation", EXPECTATION, QT_TRANSLATE_NOOP("Loss", "expectation loss"), "𝓛₁∘σ", "‖y − σ(o)‖₁",
                 f"‖{_Y} − {_S}‖<sub>1</sub>", _CLS, uses_sigma=True, reference=_TABLE),
        LossSpec("regularised_expectation", REG_EXPECTATION, QT_TRANSLATE_NOOP("Loss", "regularised expectation loss"),
                 "𝓛₂∘σ", "‖y − σ(o)‖₂²", f"‖{_Y} − {_S}‖<sub>2</sub><sup>2</sup>", _CLS,
                 uses_sigma=True, reference=_TABLE),
        LossSpec("chebyshev", CHEBYSHEV, QT_TRANSLATE_NOOP("Loss", "Chebyshev loss"), "𝓛∞∘σ", "maxⱼ |σ(o)ⱼ − yⱼ|",
                 "max<sub>j</sub> |σ(<b>o</b>)<sub>j</sub> − y<sub>j</sub>|", _CLS,
                 uses_sigma=True, reference=_TABLE),
        LossSpec("hinge", HINGE, QT_TRANSLATE_NOOP("Loss", "hinge (margin) loss"), "hinge", "Σⱼ max(0, ½ − ŷⱼ oⱼ)",
                 f"{_SUM_J}max(0, ½ − ŷ<sub>j</sub> o<sub>j</sub>)", _CLS, reference=_TABLE),
        LossSpec("squared_hinge", SQUARED_HINGE, QT_TRANSLATE_NOOP("Loss", "squared hinge (margin) loss"), "hinge²",
                 "Σⱼ max(0, ½ − ŷⱼ oⱼ)²",
                 f"{_SUM_J}max(0, ½ − ŷ<sub>j</sub> o<sub>j</sub>)<sup>2</sup>", _CLS,
                 reference=_TABLE),
        LossSpec("cubed_hinge", CUBED_HINGE, QT_TRANSLATE_NOOP("Loss", "cubed hinge (margin) loss"), "hinge³",
                 "Σⱼ max(0, ½ − ŷⱼ oⱼ)³",
                 f"{_SUM_J}max(0, ½ − ŷ<sub>j</sub> o<sub>j</sub>)<sup>3</sup>", _CLS,
                 reference=_TABLE),
        LossSpec("log", LOG, QT_TRANSLATE_NOOP("Loss", "log (cross-entropy) loss"), "log", "−Σⱼ yⱼ log σ(o)ⱼ",
                 f"−{_SUM_J}y<sub>j</sub> log σ(<b>o</b>)<sub>j</sub>", _CLS, uses_sigma=True,
                 reference=_TABLE),
        LossSpec("squared_log", SQUARED_LOG, QT_TRANSLATE_NOOP("Loss",
                                                               "squared log loss"), "log²", "Σⱼ [yⱼ log σ(o)ⱼ]²",
                 f"{_SUM_J}[y<sub>j</sub> log σ(<b>o</b>)<sub>j</sub>]<sup>2</sup>", _CLS,
                 uses_sigma=True, note=SQUARED_LOG_NOTE, reference=_TABLE),
        LossSpec("tanimoto", TANIMOTO, QT_TRANSLATE_NOOP("Loss", "Tanimoto loss"), "tan",
                 "−Σⱼ σ(o)ⱼ yⱼ / (‖σ(o)‖₂² + ‖y‖₂² − Σⱼ σ(o)ⱼ yⱼ)",
                 f"−{_SUM_J}σ(<b>o</b>)<sub>j</sub> y<sub>j</sub> / "
                 f"(‖{_S}‖<sub>2</sub><sup>2</sup> + ‖{_Y}‖<sub>2</sub><sup>2</sup> − "
                 f"{_SUM_J}σ(<b>o</b>)<sub>j</sub> y<sub>j</sub>)",
                 _CLS, uses_sigma=True, reference=_TABLE),
        LossSpec("cauchy_schwarz", CAUCHY_SCHWARZ, QT_TRANSLATE_NOOP("Loss", "Cauchy–Schwarz divergence"), "D_CS",
                 "−log( Σⱼ σ(o)ⱼ yⱼ / (‖σ(o)‖₂ ‖y‖₂) )",
                 f"−log( {_SUM_J}σ(<b>o</b>)<sub>j</sub> y<sub>j</sub> / "
                 f"(‖{_S}‖<sub>2</sub> ‖{_Y}‖<sub>2</sub>) )",
                 _CLS, uses_sigma=True, reference=_TABLE),
        LossSpec("bce", BCE, QT_TRANSLATE_NOOP("Loss", "binary cross-entropy"), "BCE",
                 "−[y log a + (1 − y) log(1 − a)],  a = σ(o)",
                 "−[y log a + (1 − y) log(1 − a)], &nbsp; a = σ(o)", _CLS, outputs="single",
                 uses_sigma=True,
                 reference="the lecture note's binary cross-entropy (one sigmoid output)"),
    )
}

assert [s.id for s in LOSSES.values()] == list(range(N_LOSSES)), "loss ids must be 0..N-1"

PENALTY_FORMULA = "+ λ₁ Σ|w| + λ₂ Σw²  (weights only, not biases)"
PENALTY_FORMULA_HTML = "+ λ<sub>1</sub> Σ|w| + λ<sub>2</sub> Σw<sup>2</sup> &nbsp; (weights only)"


def get_loss(key) -> LossSpec:
    """The spec for ``key`` (or a LossSpec), or a ValueError listing the valid keys."""
    if isinstance(key, LossSpec):
        return key
    try:
        return LOSSES[key]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {quoted(key)}; choose one of: {', '.join(LOSSES)}") from None


def losses_for(task: str, n_outputs: int) -> list[str]:
    """The keys of the losses that fit a model with this task and number of outputs."""
    return [k for k, s in LOSSES.items() if s.fits(task, n_outputs)]


def check_fit(loss: LossSpec, task: str, n_outputs: int, model_name: str) -> None:
    """Raise a clear ValueError when ``loss`` does not fit the model."""
    if loss.fits(task, n_outputs):
        return
    if task not in loss.tasks:
        why = f"it is a {' / '.join(sorted(loss.tasks))} loss and the model does {task}"
    elif loss.outputs == "single":
        why = f"it needs a model with one (sigmoid) output and this one has {n_outputs}"
    else:
        why = f"it needs a model with several outputs and this one has {n_outputs}"
    raise ValueError(
        f"Invalid loss: {quoted(loss.key)} does not fit the {model_name} model ({why}); "
        f"losses that fit: {', '.join(losses_for(task, n_outputs))}"
    )
