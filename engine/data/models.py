"""Models: linear and logistic regression, softmax regression and a small MLP.

Every model is a stack of dense layers ``a ← act(W a + b)`` (no activation on the last
one), so one compiled forward/backward serves them all; a linear model is the stack with
no hidden layer. Its parameters are ONE flat float64 vector θ laid out layer by layer,
each layer as ``nn.Linear`` stores it::

    θ = [ W₁ (n₁ × n₀, row-major), b₁ (n₁), W₂ (n₂ × n₁), b₂ (n₂), … ]

so ``W_l[j, i]`` (input i → unit j) is ``θ[off_l + j·n_in + i]``. Examples:

* linear regression on 1-D data: θ = (w, b);
* logistic regression: θ = (w₁, w₂) on 2-D data (no bias, by default), (w, b) on 1-D data;
* softmax regression with K classes on d features: θ = (W (K × d), b (K));
* MLP 2-16-16-1: θ = (W₁ 16×2, b₁ 16, W₂ 16×16, b₂ 16, W₃ 1×16, b₃ 1), P = 337.

The output layer has one unit for regression and for two classes (its sigmoid is the
probability of class 1) and K units (softmax) for K > 2 classes — for the softmax model
always K units, even for two classes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..quoted import quoted
from ..translatable import QT_TRANSLATE_NOOP

ACTIVATIONS = {"tanh": 0, "relu": 1, "sigmoid": 2}
MAX_HIDDEN_WIDTH = 1024
MAX_HIDDEN_LAYERS = 8
MAX_PARAMS = 200_000


@dataclass(frozen=True)
class ModelSpec:
    """A model in the catalogue: what it is and what it fits."""

    key: str
    name: str
    formula: str
    formula_html: str
    tasks: tuple[str, ...]
    description: str
    hidden: bool = False  # takes hidden layer sizes and an activation


MODELS: dict[str, ModelSpec] = {
    s.key: s
    for s in (
        ModelSpec("linear", QT_TRANSLATE_NOOP("Model", "linear regression"), "o = w·x + b", "o = <b>w</b>·<b>x</b> + b",
                  ("regression",), QT_TRANSLATE_NOOP("Model", "a straight line (plane) fitted to the targets")),
        ModelSpec("logistic", QT_TRANSLATE_NOOP("Model", "logistic regression"), "P(y=1) = s(w·x [+ b])",
                  "P(y=1) = s(<b>w</b>·<b>x</b> [+ b])", ("classification",),
                  QT_TRANSLATE_NOOP("Model",
                                    "one linear output squashed by the sigmoid s; two classes. Two parameters: "
                  "(w₁, w₂) on 2-D data (no bias), (w, b) on 1-D data")),
        ModelSpec("softmax", QT_TRANSLATE_NOOP("Model", "softmax regression"), "P(y=k) = softmax(W x + b)ₖ",
                  "P(y=k) = softmax(W<b>x</b> + <b>b</b>)<sub>k</sub>", ("classification",),
                  QT_TRANSLATE_NOOP("Model", "one linear output per class, normalised by the softmax")),
        ModelSpec("mlp", "MLP", "o = W_L act(… act(W₁ x + b₁) …) + b_L",
                  "o = W<sub>L</sub> act(… act(W<sub>1</sub><b>x</b> + b<sub>1</sub>) …) "
                  "+ b<sub>L</sub>", ("regression", "classification"),
                  QT_TRANSLATE_NOOP("Model", "a multilayer perceptron with hidden layers of your choice"), hidden=True),
    )
}


@dataclass(frozen=True)
class Model:
    """A model choice, before it meets data: ``Model("mlp", hidden=(16, 16), activation="relu")``.

    ``bias`` None picks the default: True, except logistic regression on 2-D data (so it
    has exactly two parameters and its loss is a map).
    """

    key: str = "mlp"
    hidden: tuple = (16, 16)
    activation: str = "tanh"
    bias: bool | None = None

    def __post_init__(self):
        spec = get_model_spec(self.key)
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"Invalid activation: {quoted(self.activation)} "
                             f"(allowed: {', '.join(ACTIVATIONS)})")
        if self.bias is not None and not isinstance(self.bias, (bool, np.bool_)):
            raise ValueError(f"Invalid bias value: bias={quoted(self.bias)} (allowed: True, False or None)")
        hidden = self.hidden
        if isinstance(hidden, (int, np.integer)) and not isinstance(hidden, bool):
            hidden = (hidden,)
        try:
            hidden = tuple(hidden)
        except TypeError:
            raise ValueError(f"Invalid hidden sizes: {quoted(self.hidden)} (allowed: a list of integers "
                             f"in [1, {MAX_HIDDEN_WIDTH}])") from None
        if spec.hidden:
            if not hidden:
                raise ValueError("Invalid hidden sizes: () — an MLP needs at least one hidden layer "
                                 "(use 'linear', 'logistic' or 'softmax' for none)")
            if len(hidden) > MAX_HIDDEN_LAYERS:
                raise ValueError(f"Invalid hidden sizes: {quoted(hidden)} (allowed: at most "
                                 f"{MAX_HIDDEN_LAYERS} hidden layers)")
            for h in hidden:
                if (isinstance(h, bool) or not isinstance(h, (int, np.integer))
                        or not 1 <= h <= MAX_HIDDEN_WIDTH):
                    raise ValueError(f"Invalid hidden size: {quoted(h)} in {quoted(hidden)} (allowed: an integer "
                                     f"in [1, {MAX_HIDDEN_WIDTH}] per layer)")
            object.__setattr__(self, "hidden", tuple(int(h) for h in hidden))
        else:
            object.__setattr__(self, "hidden", ())

    @property
    def spec(self) -> ModelSpec:
        return MODELS[self.key]

    def describe(self) -> str:
        if self.key != "mlp":
            return self.spec.name
        return f"MLP {'-'.join(map(str, self.hidden))} ({self.activation})"


def get_model_spec(key: str) -> ModelSpec:
    try:
        return MODELS[key]
    except (KeyError, TypeError):
        raise ValueError(f"unknown model {quoted(key)}; choose one of: {', '.join(MODELS)}") from None


def as_model(model) -> Model:
    if isinstance(model, Model):
        return model
    if isinstance(model, str):
        return Model(model)
    if isinstance(model, dict):
        return Model(**model)
    raise ValueError(f"unknown model {quoted(model)}; give a key ({', '.join(MODELS)}) or a Model")


@dataclass(frozen=True)
class Layer:
    """Where one dense layer lives in θ."""

    n_in: int
    n_out: int
    w_offset: int
    b_offset: int  # −1 without bias

    @property
    def w_slice(self) -> slice:
        return slice(self.w_offset, self.w_offset + self.n_in * self.n_out)

    @property
    def b_slice(self) -> slice | None:
        return None if self.b_offset < 0 else slice(self.b_offset, self.b_offset + self.n_out)


class Network:
    """A model bound to a dataset's shape: layer sizes, the θ layout, the initialisation."""

    def __init__(self, model: Model, task: str, dim: int, n_classes: int):
        self.model = model
        spec = model.spec
        if task not in spec.tasks:
            raise ValueError(f"Invalid model: {spec.name} does not fit a {task} dataset "
                             f"(models for {task}: "
                             f"{', '.join(k for k, s in MODELS.items() if task in s.tasks)})")
        if model.key == "logistic" and n_classes != 2:
            raise ValueError(f"Invalid model: logistic regression needs 2 classes, the dataset has "
                             f"{n_classes} (use 'softmax' or 'mlp')")
        if task == "regression":
            n_out = 1
        elif model.key == "softmax":
            n_out = n_classes
        else:
            n_out = 1 if n_classes == 2 else n_classes
        bias = model.bias
        if bias is None:
            bias = not (model.key == "logistic" and dim == 2)
        self.task = task
        self.bias = bool(bias)
        self.activation = model.activation
        self.act_id = ACTIVATIONS[model.activation]
        self.sizes = np.array([dim, *model.hidden, n_out], dtype=np.int64)
        self.layers: list[Layer] = []
        off = 0
        for n_in, n_out_l in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            n_in, n_out_l = int(n_in), int(n_out_l)
            w = off
            off += n_in * n_out_l
            b = off if self.bias else -1
            off += n_out_l if self.bias else 0
            self.layers.append(Layer(n_in, n_out_l, w, b))
        self.n_params = off
        if self.n_params > MAX_PARAMS:
            raise ValueError(f"Invalid model: {self.n_params} parameters (allowed: at most {MAX_PARAMS})")
        self.weight_mask = np.zeros(self.n_params)
        for layer in self.layers:
            self.weight_mask[layer.w_slice] = 1.0

    @property
    def n_outputs(self) -> int:
        return int(self.sizes[-1])

    @property
    def output(self) -> str:
        """How outputs become predictions: "identity", "sigmoid" or "softmax"."""
        if self.task == "regression":
            return "identity"
        return "sigmoid" if self.n_outputs == 1 else "softmax"

    def layout(self) -> list[tuple[str, slice, tuple[int, ...]]]:
        """(name, slice of θ, shape) for every weight matrix and bias vector, in θ order."""
        out = []
        for k, layer in enumerate(self.layers, start=1):
            out.append((f"W{k}", layer.w_slice, (layer.n_out, layer.n_in)))
            if layer.b_slice is not None:
                out.append((f"b{k}", layer.b_slice, (layer.n_out,)))
        return out

    def parameter_names(self) -> list[str]:
        """One name per entry of θ: "w", "b" for a 2-parameter line, else "W1[j,i]", "b1[j]"…"""
        if self.n_params <= 3 and len(self.layers) == 1 and self.layers[0].n_out == 1:
            names = [f"w{i + 1}" if self.sizes[0] > 1 else "w" for i in range(self.sizes[0])]
            return names + (["b"] if self.bias else [])
        names = []
        for name, _, shape in self.layout():
            if len(shape) == 2:
                names += [f"{name}[{j},{i}]" for j in range(shape[0]) for i in range(shape[1])]
            else:
                names += [f"{name}[{j}]" for j in range(shape[0])]
        return names

    def unflatten(self, theta) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """θ as a list of (W, b) per layer (views, W of shape n_out × n_in)."""
        theta = np.asarray(theta, dtype=float)
        return [(theta[layer.w_slice].reshape(layer.n_out, layer.n_in),
                 None if layer.b_slice is None else theta[layer.b_slice]) for layer in self.layers]

    def init(self, seed: int = 0) -> np.ndarray:
        """A seeded initial θ: biases 0; weights Glorot-uniform, He-normal into a ReLU.

        Glorot & Bengio (2010): U(±√(6 / (n_in + n_out))), for tanh / sigmoid units and the
        output layer; He et al. (2015): N(0, 2 / n_in) for layers followed by a ReLU.
        """
        rng = np.random.default_rng([int(seed), 0x1A17])
        theta = np.zeros(self.n_params)
        last = len(self.layers) - 1
        for k, layer in enumerate(self.layers):
            shape = (layer.n_out, layer.n_in)
            if k < last and self.activation == "relu":
                w = rng.standard_normal(shape) * math.sqrt(2.0 / layer.n_in)
            else:
                limit = math.sqrt(6.0 / (layer.n_in + layer.n_out))
                w = rng.uniform(-limit, limit, shape)
            theta[layer.w_slice] = w.reshape(-1)
        return theta
