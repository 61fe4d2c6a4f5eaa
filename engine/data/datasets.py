"""Toy datasets: seeded, pure NumPy, each with a held-out test split.

``make_dataset(key, n_points=…, noise=…, seed=…, test_fraction=…)`` builds one of
:data:`DATASETS`; :func:`load_csv` and :meth:`Dataset.from_arrays` bring your own. Same
arguments, same seed → the same points, bit for bit. Classification labels are the
integers ``0 … K−1``; regression targets are floats. The test split is stratified for
classification (every class keeps its share) and drawn with the same seed.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..quoted import quoted
from ..translatable import QT_TRANSLATE_NOOP, Filled

MAX_POINTS = 1_000_000


@dataclass(frozen=True, eq=False)
class Dataset:
    """Points ``X`` (n × d), targets ``y`` (n,) and a held-out split ``X_test, y_test``.

    ``task`` is "regression" (``y`` float) or "classification" (``y`` int in 0…K−1,
    ``n_classes`` = K). Build one with :func:`make_dataset`, :func:`load_csv` or
    :meth:`from_arrays`, which validate it.
    """

    key: str
    name: str
    task: str
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int = 0
    description: str = ""
    params: dict = field(default_factory=dict)
    class_names: tuple[str, ...] = ()  # classification: a name per class (a CSV's text labels)
    feature_names: tuple[str, ...] = ()  # a CSV header's names of the feature columns

    @property
    def n_train(self) -> int:
        return int(self.X.shape[0])

    @property
    def n_test(self) -> int:
        return int(self.X_test.shape[0])

    @property
    def dim(self) -> int:
        return int(self.X.shape[1])

    @property
    def bounds(self) -> tuple[float, ...]:
        """A padded (xmin, xmax[, ymin, ymax]) box around all points, for the data view."""
        pts = np.vstack([self.X, self.X_test]) if self.n_test else self.X
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        pad = 0.1 * np.maximum(hi - lo, 1e-9)
        out = []
        for a, b in zip(lo - pad, hi + pad, strict=True):
            out += [float(a), float(b)]
        return tuple(out)

    @classmethod
    def from_arrays(cls, X, y, *, task: str | None = None, X_test=None, y_test=None,
                    test_fraction: float = 0.0, seed: int = 0, name: str = "custom",
                    key: str = "custom", description: str = "") -> Dataset:
        """Validate arrays and make a dataset (split off ``test_fraction`` unless a test set is given).

        ``task`` None: classification if every target is an integer and there are at most
        20 distinct ones, regression otherwise. Class labels may be any numbers; they are
        mapped to 0…K−1 in sorted order.
        """
        X = _as_points(X, "X")
        y = _as_targets(y, "y", len(X))
        task = _infer_task(y) if task is None else task
        if task not in ("regression", "classification"):
            raise ValueError(f"Invalid task: {quoted(task)} (allowed: 'regression' or 'classification')")
        if X_test is not None or y_test is not None:
            if X_test is None or y_test is None:
                raise ValueError("Give both X_test and y_test, or neither")
            Xt = _as_points(X_test, "X_test", allow_empty=True)
            yt = _as_targets(y_test, "y_test", len(Xt))
            if Xt.shape[1] != X.shape[1] and len(Xt):
                raise ValueError(f"X_test has {Xt.shape[1]} columns but X has {X.shape[1]}")
            Xt = Xt.reshape(len(Xt), X.shape[1])
        else:
            X, y, Xt, yt = _split(X, y, test_fraction, seed, task == "classification")
        n_classes = 0
        if task == "classification":
            y, yt, n_classes = _encode_labels(y, yt)
        else:
            y, yt = y.astype(float), yt.astype(float)
        return cls(key, name, task, X, y, Xt, yt, n_classes, description,
                   {"test_fraction": float(test_fraction), "seed": int(seed)})


@dataclass(frozen=True)
class DatasetSpec:
    """A generator in the catalogue: defaults and what it makes."""

    key: str
    name: str
    task: str
    dim: int
    n_classes: int
    n_points: int
    noise: float
    description: str
    generate: Callable = field(repr=False, compare=False)
    options: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------ generators
def _line(rng, n, noise, outliers=0.0, slope=1.5, intercept=0.5, x_range=(-1.0, 3.0)):
    lo, hi = x_range
    x = rng.uniform(lo, hi, n)
    y = slope * x + intercept + noise * rng.standard_normal(n)
    k = int(round(outliers * n))
    if k:
        which = rng.choice(n, size=k, replace=False)
        y[which] += 5.0 + 5.0 * rng.random(k)  # one-sided: they drag an L2 fit, not an L1 fit
    return x.reshape(-1, 1), y


def _counts(n, k):
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def _gaussian_clusters(rng, n, noise, centres, labels=None):
    centres = np.asarray(centres, dtype=float)
    labels = range(len(centres)) if labels is None else labels
    xs, ys = [], []
    for m, label, c in zip(_counts(n, len(centres)), labels, centres, strict=True):
        xs.append(c + noise * rng.standard_normal((m, centres.shape[1])))
        ys.append(np.full(m, label))
    return np.vstack(xs), np.concatenate(ys)


def _blobs(rng, n, noise):
    return _gaussian_clusters(rng, n, noise, [(-1.2, -0.8), (1.2, 0.8)])


def _blobs3(rng, n, noise):
    angles = np.deg2rad([90.0, 210.0, 330.0])
    return _gaussian_clusters(rng, n, noise, 2.0 * np.c_[np.cos(angles), np.sin(angles)])


def _blobs1d(rng, n, noise):
    return _gaussian_clusters(rng, n, noise, [(-1.0,), (1.0,)])


def _xor(rng, n, noise):
    return _gaussian_clusters(rng, n, noise, [(-1, -1), (1, 1), (-1, 1), (1, -1)],
                              labels=[0, 0, 1, 1])


def _moons(rng, n, noise):
    n0, n1 = _counts(n, 2)
    t0, t1 = rng.uniform(0, np.pi, n0), rng.uniform(0, np.pi, n1)
    outer = np.c_[np.cos(t0), np.sin(t0)]
    inner = np.c_[1.0 - np.cos(t1), 0.5 - np.sin(t1)]
    X = np.vstack([outer, inner]) - (0.5, 0.25)
    X += noise * rng.standard_normal(X.shape)
    return X, np.r_[np.zeros(n0), np.ones(n1)]


def _circles(rng, n, noise, factor=0.5):
    n0, n1 = _counts(n, 2)
    t0, t1 = rng.uniform(0, 2 * np.pi, n0), rng.uniform(0, 2 * np.pi, n1)
    X = np.vstack([np.c_[np.cos(t0), np.sin(t0)], factor * np.c_[np.cos(t1), np.sin(t1)]])
    X += noise * rng.standard_normal(X.shape)
    return X, np.r_[np.zeros(n0), np.ones(n1)]


def _spirals(rng, n, noise, turns=1.5):
    xs, ys = [], []
    for label, m in enumerate(_counts(n, 2)):
        t = np.sqrt(rng.uniform(0.02, 1.0, m))  # even density along the arm
        phi = 2 * np.pi * turns * t + np.pi * label
        xs.append(2.0 * t[:, None] * np.c_[np.cos(phi), np.sin(phi)])
        ys.append(np.full(m, label))
    X = np.vstack(xs)
    X += noise * rng.standard_normal(X.shape)
    return X, np.concatenate(ys)


DATASETS: dict[str, DatasetSpec] = {
    s.key: s
    for s in (
        DatasetSpec("line", QT_TRANSLATE_NOOP("Dataset", "noisy line"), "regression", 1, 0, 100, 0.5,
                    QT_TRANSLATE_NOOP("Dataset", "y = 1.5·x + 0.5 + noise, x uniform in [−1, 3]; optional outliers "
                    "(a fraction of points pushed up by 5–10)"), _line,
                    {"outliers": 0.0}),
        DatasetSpec("blobs1d", QT_TRANSLATE_NOOP("Dataset", "two blobs on a line"), "classification", 1, 2, 100, 0.8,
                    QT_TRANSLATE_NOOP("Dataset",
                                      "1-D: class 0 around −1, class 1 around +1 (logistic regression with (w, b))"),
                    _blobs1d),
        DatasetSpec("blobs", QT_TRANSLATE_NOOP("Dataset", "two Gaussian blobs"), "classification", 2, 2, 200, 0.8,
                    QT_TRANSLATE_NOOP("Dataset", "two round clusters placed symmetrically about the origin"), _blobs),
        DatasetSpec("blobs3", QT_TRANSLATE_NOOP("Dataset", "three blobs"), "classification", 2, 3, 300, 0.7,
                    QT_TRANSLATE_NOOP("Dataset", "three round clusters at 120° around the origin"), _blobs3),
        DatasetSpec("moons", QT_TRANSLATE_NOOP("Dataset", "moons"), "classification", 2, 2, 200, 0.15,
                    QT_TRANSLATE_NOOP("Dataset", "two interleaving half circles"), _moons),
        DatasetSpec("circles", QT_TRANSLATE_NOOP("Dataset", "circles"), "classification", 2, 2, 200, 0.08,
                    QT_TRANSLATE_NOOP("Dataset", "a ring around a smaller ring (radius ½)"), _circles),
        DatasetSpec("xor", "XOR", "classification", 2, 2, 200, 0.35,
                    QT_TRANSLATE_NOOP("Dataset", "four clusters at (±1, ±1); the label is the XOR of the signs"), _xor),
        DatasetSpec("spirals", QT_TRANSLATE_NOOP("Dataset", "two spirals"), "classification", 2, 2, 300, 0.1,
                    QT_TRANSLATE_NOOP("Dataset", "two interleaved spiral arms, 1.5 turns each"), _spirals),
    )
}


def get_dataset_spec(key: str) -> DatasetSpec:
    try:
        return DATASETS[key]
    except (KeyError, TypeError):
        raise ValueError(f"unknown dataset {quoted(key)}; choose one of: {', '.join(DATASETS)}") from None


def make_dataset(key: str, n_points: int | None = None, noise: float | None = None, *,
                 seed: int = 0, test_fraction: float = 0.25, **options) -> Dataset:
    """Generate dataset ``key`` of :data:`DATASETS` (its defaults where an argument is None).

    ``n_points`` counts train + test points; ``noise`` is the standard deviation of the
    Gaussian jitter (for "line", of y). Options: "line" takes ``outliers`` (a fraction in
    [0, 0.5]). Bad values raise ValueError naming the parameter, the value and the range.
    """
    spec = get_dataset_spec(key)
    n = spec.n_points if n_points is None else _int_in("n_points", n_points, spec.n_classes or 1,
                                                       MAX_POINTS)
    noise = spec.noise if noise is None else _float_in("noise", noise, 0.0, 1e3)
    seed = _seed(seed)
    test_fraction = _float_in("test_fraction", test_fraction, 0.0, 0.9)
    unknown = [k for k in options if k not in spec.options]
    if unknown:
        allowed = ", ".join(spec.options) or "none"
        raise ValueError(f"dataset {quoted(key)} has no option {quoted(unknown[0])} (options: {allowed})")
    opts = {**spec.options, **options}
    if "outliers" in opts:
        opts["outliers"] = _float_in("outliers", opts["outliers"], 0.0, 0.5)
    rng = np.random.default_rng(seed)
    X, y = spec.generate(rng, n, noise, **opts)
    X, y, Xt, yt = _split(X, y, test_fraction, seed, spec.task == "classification")
    if spec.task == "classification":
        y, yt = y.astype(np.int64), yt.astype(np.int64)
    params = {"n_points": n, "noise": noise, "seed": seed, "test_fraction": test_fraction, **opts}
    return Dataset(spec.key, spec.name, spec.task, X, y, Xt, yt, spec.n_classes,
                   spec.description, params)


CSV_MAX_ROWS = 100_000
CSV_MAX_COLUMNS = 64
CSV_MAX_BYTES = 20 * 1024 * 1024
CSV_MAX_CLASSES = 20
TARGET_NAMES = ("label", "target", "y")  # a header column with one of these names is the target


def load_csv(path, *, task: str | None = None, test_fraction: float = 0.25, seed: int = 0,
             delimiter: str | None = None) -> Dataset:
    """Read a dataset from a CSV file: numeric feature columns and one target column.

    The header row is optional (a first row with text where the next row has a number is a
    header). The target is the column named ``label``, ``target`` or ``y`` (any case), else
    the last one. Integer targets with at most 20 distinct values, or text targets (at most
    20 distinct; they become the class names), mean classification; other numbers mean
    regression (``task`` overrides). Limits: 100,000 data rows, 64 columns, 20 MB. Blank
    lines and lines starting with ``#`` are skipped.

    A bad file raises ValueError naming the file, the line and the column:
    ``bad.csv, line 3, column 'weight': 'oops' is not a number``.
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > CSV_MAX_BYTES:
            raise ValueError(f"{name}: too large ({size / 1e6:.1f} MB; a CSV file is at most "
                             f"{CSV_MAX_BYTES // (1024 * 1024)} MB)")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ValueError(f"{name}: cannot read the file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        line = _line_of(exc)
        raise ValueError(f"{name}: not a UTF-8 text file{line}") from None
    lines = [(i + 1, ln) for i, ln in enumerate(text.splitlines())
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise ValueError(f"{name}: the file is empty (no data rows)")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(lines[0][1], delimiters=",;\t ").delimiter
        except csv.Error:
            delimiter = ","
    try:
        rows = [[cell.strip() for cell in row]
                for row in csv.reader((ln for _, ln in lines), delimiter=delimiter,
                                      skipinitialspace=True)]
    except csv.Error as exc:
        raise ValueError(f"{name}: not a CSV file ({exc})") from None
    line_no = [n for n, _ in lines]
    header = None
    if _is_header(rows):
        header, rows, line_no = rows[0], rows[1:], line_no[1:]
    if not rows:
        raise ValueError(f"{name}: only a header, no data rows")
    width = len(header) if header is not None else len(rows[0])
    if width > CSV_MAX_COLUMNS:
        raise ValueError(f"{name}: {width} columns (at most {CSV_MAX_COLUMNS})")
    if width < 2:
        raise ValueError(f"{name}: need at least 2 columns (features, target), found {width}")
    if len(rows) > CSV_MAX_ROWS:
        raise ValueError(f"{name}: {len(rows):,} data rows (at most {CSV_MAX_ROWS:,})")
    names = [h or f"column {c + 1}" for c, h in enumerate(header)] if header else None
    target = width - 1
    if names:
        for c, h in enumerate(names):
            if h.strip().lower() in TARGET_NAMES:
                target = c
                break

    def where(r: int, c: int) -> str:
        col = repr(names[c]) if names else str(c + 1)
        return f"{name}, line {line_no[r]}, column {col}"

    for r, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"{name}, line {line_no[r]}: {len(row)} columns, expected {width}"
                             + (" (as in the header)" if header else " (as in the first row)"))
    text_target = bool(rows[0][target]) and not _is_number(rows[0][target])
    features = [c for c in range(width) if c != target]
    X = np.empty((len(rows), width - 1))
    for r, row in enumerate(rows):
        for j, c in enumerate(features):
            X[r, j] = _cell(row[c], where, line_no[r], r, c)
    class_names: tuple[str, ...] = ()
    if text_target:
        labels = [row[target] for row in rows]
        for r, label in enumerate(labels):
            if not label:
                raise ValueError(f"{where(r, target)}: empty target")
        classes = sorted(set(labels))
        if len(classes) > CSV_MAX_CLASSES:
            raise ValueError(f"{name}: the target column {_col(names, target)} has {len(classes)} "
                             f"distinct text values (at most {CSV_MAX_CLASSES} classes; numbers "
                             f"would make it a regression)")
        if task == "regression":
            raise ValueError(f"{name}: the target column {_col(names, target)} holds text, "
                             f"which cannot be a regression target")
        index = {c: i for i, c in enumerate(classes)}
        y = np.array([index[label] for label in labels], dtype=float)
        class_names = tuple(classes)
        task = "classification"
    else:
        y = np.array([_cell(row[target], where, line_no[r], r, target) for r, row in enumerate(rows)])
    target_name = names[target] if names else f"column {target + 1}"
    feature_names = tuple(names[c] for c in features) if names else ()
    ds = Dataset.from_arrays(X, y, task=task, test_fraction=test_fraction, seed=seed,
                             name=path.stem, key=f"csv:{name}",
                             description=Filled(QT_TRANSLATE_NOOP(
                                 "Dataset", "loaded from %1: %2 rows, %3 feature(s), target %4"),
                                 name, f"{len(rows):,}", width - 1, quoted(target_name)))
    if ds.task == "classification" and not class_names:
        values = np.unique(y)
        class_names = tuple(_number_text(v) for v in values)
    return replace(ds, class_names=class_names if ds.task == "classification" else (),
                   feature_names=feature_names,
                   params={**ds.params, "csv": str(path), "target": target_name})


def _line_of(exc: UnicodeDecodeError) -> str:
    """`` (line N)`` for where a decoding error is, when it can be told."""
    try:
        line = exc.object[:exc.start].count(b"\n") + 1
    except (AttributeError, TypeError):
        return ""
    return f" (line {line})"


def _is_header(rows: list[list[str]]) -> bool:
    """The first row is a header if it has text where the second row has a number (or, on
    its own, if it is not all numbers)."""
    first = rows[0]
    if len(rows) == 1:
        return not all(_is_number(c) for c in first)
    second = rows[1]
    return any(not _is_number(a) and _is_number(b) for a, b in zip(first, second, strict=False)) \
        or all(not _is_number(c) for c in first) and not all(not _is_number(c) for c in second)


def _cell(cell: str, where, line: int, r: int, c: int) -> float:
    try:
        value = float(cell)
    except ValueError:
        what = "an empty cell" if not cell else f"{quoted(cell)} is not a number"
        raise ValueError(f"{where(r, c)}: {what}") from None
    if not math.isfinite(value):
        raise ValueError(f"{where(r, c)}: {quoted(cell)} is not allowed (a NaN or infinite value "
                         f"at row {line}, column {c + 1})")
    return value


def _col(names, c: int) -> str:
    return repr(names[c]) if names else str(c + 1)


def _number_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def standardised(ds: Dataset) -> Dataset:
    """``ds`` with every feature shifted and scaled to mean 0 and standard deviation 1 on the
    training set (the test set with the same shift and scale). A constant feature is only
    shifted. The shift and scale are in ``params["mean"]``, ``params["scale"]``."""
    mean = ds.X.mean(axis=0)
    scale = ds.X.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    X = np.ascontiguousarray((ds.X - mean) / scale)
    Xt = np.ascontiguousarray((ds.X_test - mean) / scale) if ds.n_test else ds.X_test
    return replace(ds, X=X, X_test=Xt,
                   params={**ds.params, "standardised": True, "mean": mean.tolist(),
                           "scale": scale.tolist()})


# ---------------------------------------------------------------------------- validation
def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def _seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"Invalid seed value: seed={quoted(seed)} (allowed: an integer >= 0)")
    return int(seed)


def _int_in(name, value, low, high) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"Invalid {name} value: {name}={quoted(value)} (allowed: an integer in [{low}, {high}])")
    return int(value)


def _float_in(name, value, low, high) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if isinstance(value, bool) or not (math.isfinite(v) and low <= v <= high):
        raise ValueError(f"Invalid {name} value: {name}={quoted(value)} (allowed: a number in [{low:g}, {high:g}])")
    return v


def _as_points(X, name, allow_empty=False) -> np.ndarray:
    try:
        X = np.array(X, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid {name}: not an array of numbers") from None
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    if X.ndim != 2:
        raise ValueError(f"Invalid {name}: expected a 2-D array (points × features), got {X.ndim}-D")
    if len(X) == 0 and not allow_empty:
        raise ValueError(f"Invalid {name}: the dataset has zero points (at least 1 is needed)")
    if len(X) and X.shape[1] == 0:
        raise ValueError(f"Invalid {name}: the points have zero features")
    if len(X) > MAX_POINTS:
        raise ValueError(f"Invalid {name}: {len(X)} points (allowed: at most {MAX_POINTS})")
    bad = np.argwhere(~np.isfinite(X))
    if bad.size:
        r, c = bad[0]
        raise ValueError(f"Invalid {name}: NaN or infinite value at point {r}, feature {c} "
                         f"({quoted(X[r, c])}); {len(bad)} such value(s) in all")
    return np.ascontiguousarray(X)


def _as_targets(y, name, n) -> np.ndarray:
    try:
        y = np.array(y, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid {name}: not an array of numbers") from None
    if len(y) != n:
        raise ValueError(f"Invalid {name}: {len(y)} targets for {n} points")
    bad = np.flatnonzero(~np.isfinite(y))
    if bad.size:
        raise ValueError(f"Invalid {name}: NaN or infinite target at point {bad[0]} ({quoted(y[bad[0]])}); "
                         f"{len(bad)} such value(s) in all")
    return y


def _infer_task(y) -> str:
    integral = np.all(y == np.round(y))
    return "classification" if integral and len(np.unique(y)) <= 20 else "regression"


def _encode_labels(y, yt):
    if not (np.all(y == np.round(y)) and np.all(yt == np.round(yt))):
        raise ValueError("Invalid y: classification labels must be integers")
    classes = np.unique(y)
    if len(classes) < 2:
        raise ValueError(f"Invalid y: classification needs at least 2 classes in the training set, "
                         f"found {len(classes)} ({classes.tolist()})")
    unseen = np.setdiff1d(np.unique(yt), classes)
    if unseen.size:
        raise ValueError(f"Invalid y_test: classes {unseen.tolist()} do not occur in the training set")
    return (np.searchsorted(classes, y).astype(np.int64),
            np.searchsorted(classes, yt).astype(np.int64), len(classes))


def _split(X, y, test_fraction, seed, stratify):
    """Seeded held-out split; stratified by class for classification. Train keeps ≥ 1 point."""
    test_fraction = _float_in("test_fraction", test_fraction, 0.0, 0.9)
    n = len(X)
    rng = np.random.default_rng([int(seed), 0x5E17])
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if stratify else [np.arange(n)]
    test = []
    for idx in groups:
        k = min(int(round(test_fraction * len(idx))), len(idx) - 1) if stratify else \
            min(int(round(test_fraction * n)), n - 1)
        test.append(rng.permutation(idx)[:k])
    mask = np.zeros(n, bool)
    mask[np.concatenate(test).astype(np.int64)] = True
    # Keep the generator's order within each part: reproducible and easy to read.
    return (np.ascontiguousarray(X[~mask]), np.ascontiguousarray(y[~mask]),
            np.ascontiguousarray(X[mask]), np.ascontiguousarray(y[mask]))
