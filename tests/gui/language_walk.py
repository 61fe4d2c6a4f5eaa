"""Every text a person can read in the window, and which of them are still English.

``visible_texts(window)`` walks the widgets (labels, buttons, combo boxes and their items,
tabs, group boxes, line-edit placeholders, tables and their headers, tooltips), the menus
and their actions, and the pyqtgraph plots (axis labels, text items, legends): what is
shown, where it is. ``english(texts)`` keeps those with an English word in them, apart from
what stays English in a Chinese lecture: proper names (optimizers, surfaces, people,
libraries), units, file types, formulas.
"""

from __future__ import annotations

import html
import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTableWidget,
    QTabWidget,
    QWidget,
)

# Words that a Chinese text writes in Latin letters too.
ALLOWED = {
    # optimizers, their proper names and torch's names
    "gd", "sgd", "nag", "adagrad", "rmsprop", "adadelta", "adam", "adamw", "adamax", "nadam", "radam",
    "lion", "momentum", "rprop", "asgd", "adafactor", "lbfgs", "muon", "newton", "amsgrad", "nesterov",
    "l-bfgs", "wolfe",  # L-BFGS as it is written; its strong-Wolfe line search (Philip Wolfe)
    "closure",  # torch's optimizer.step(closure), which L-BFGS's step is
    # surfaces and datasets named after people or shapes
    "rosenbrock", "beale", "himmelblau", "rastrigin", "matyas", "booth", "ackley", "styblinski", "tang",
    "goldstein", "price", "bukin", "levi", "mccormick", "easom", "xor", "mlp", "relu", "tanh", "sigmoid",
    "softmax", "lasso", "ridge", "huber",
    # libraries, formats, units, keys
    "pytorch", "torch", "optim", "numpy", "jupyter", "csv", "png", "svg", "gif", "mp4", "toml", "json",
    "ipynb", "npz", "lr", "fps", "max", "min", "log", "exp", "sin", "cos", "sqrt", "abs", "space", "shift",
    "ctrl", "page", "up", "down", "descent", "lab", "ln", "id", "vs", "nan", "inf", "mse", "bce", "epoch",
    "pca", "rms", "eps", "beta", "alpha", "rho", "lambda", "sigma", "mu",
    "english",  # the language menu names each language in itself
    "label", "target",  # the column names a CSV file may use
    "pi",  # a formula's constant
    "schulz", "ns", "bfloat", "xx", "bxx",  # Muon: Newton–Schulz (NS) in bfloat16, aX + bXXᵀX
    "qt", "opengl", "pyopengl", "offscreen",  # the 3-D view says what it needs (gui.view3d.gl_check)
    "xy",  # a product in a formula (the Surface page lists each surface with its formula)
    "steplr", "exponentiallr", "cosineannealinglr", "linearlr",  # torch's schedulers
    "chebyshev", "tanimoto", "cauchy", "schwarz", "polyak",  # losses and averaging named after people
    "ax",  # ASGD's averaged point, as its rule and torch name it
    "ro",  # L-BFGS's 1/(yᵀs) per pair, as torch's state names it
}
# torch's hyperparameter names (dampening, lambd, …) are written as torch writes them.
ALLOWED |= {word.lower() for spec in __import__("descentlab.engine.optimizers", fromlist=["OPTIMIZERS"])
            .OPTIMIZERS.values() for name in spec.hyper_names for word in re.findall(r"[A-Za-z]+", name)}
# A word of Latin letters; single letters and Greek/maths are never English prose.
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


def _menu_texts(menu: QMenu, where: str, out: list) -> None:
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        name = f"{where} › {action.text()}"
        out.append((name, action.text()))
        if action.toolTip() and action.toolTip() != action.text().replace("&", ""):
            out.append((f"{name} (tooltip)", action.toolTip()))
        if action.menu() is not None:
            _menu_texts(action.menu(), name, out)


def _plot_texts(widget, where: str, out: list) -> None:
    import pyqtgraph as pg

    scene = widget.scene() if hasattr(widget, "scene") else None
    if scene is None:
        return
    for item in scene.items():
        if not item.isVisible():
            continue
        if isinstance(item, pg.AxisItem) and item.isVisible():
            label = item.labelText
            if label:
                out.append((f"{where} axis", label))
        elif isinstance(item, pg.TextItem):
            text = item.textItem.toPlainText()
            if text.strip():
                out.append((f"{where} text", text))
        elif isinstance(item, pg.LabelItem):
            if item.text:
                out.append((f"{where} label", re.sub(r"<[^>]+>", "", item.text)))


def menu_texts(window) -> list[tuple[str, str]]:
    """(where, text) for the menu bar, every menu and every entry and its tooltip."""
    out: list[tuple[str, str]] = []
    for action in window.menuBar().actions():
        out.append(("menu bar", action.text()))
        if action.menu() is not None:
            _menu_texts(action.menu(), action.text(), out)
    return out


def visible_texts(window) -> list[tuple[str, str]]:
    """(where, text) for every readable text of ``window`` that is shown now."""
    import pyqtgraph as pg

    out: list[tuple[str, str]] = [("window title", window.windowTitle()), *menu_texts(window)]
    for w in window.findChildren(QWidget):
        if not w.isVisible() or isinstance(w, QMenu):
            continue
        where = f"{type(w).__name__} {w.objectName()}".strip()
        if w.toolTip():
            out.append((f"{where} (tooltip)", w.toolTip()))
        if isinstance(w, QLabel):
            out.append((where, re.sub(r"<[^>]+>", " ", w.text())))
        elif isinstance(w, QAbstractButton):
            out.append((where, w.text()))
        elif isinstance(w, QComboBox):
            out += [(f"{where} item", w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QGroupBox):
            out.append((where, w.title()))
        elif isinstance(w, QTabWidget):
            out += [(f"{where} tab", w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QLineEdit) and w.placeholderText():
            out.append((f"{where} placeholder", w.placeholderText()))
        elif isinstance(w, QTableWidget):
            for c in range(w.columnCount()):
                header = w.horizontalHeaderItem(c)
                if header is not None:
                    out.append((f"{where} header", header.text()))
            for r in range(w.rowCount()):
                for c in range(w.columnCount()):
                    item = w.item(r, c)
                    if item is not None and item.text():
                        out.append((f"{where} cell", item.text()))
        elif isinstance(w, pg.GraphicsView):
            _plot_texts(w, where, out)
    return [(where, text) for where, text in out if text and text.strip()]


def english_words(text: str, allowed: set[str] = ALLOWED) -> list[str]:
    """The English words of ``text`` (two letters or more, not allowed as names)."""
    text = html.unescape(text.replace("&nbsp;", " ")).replace("\xa0", " ")  # rich text's entities
    text = re.sub(r"&(?=\w)", "", text)  # menu accelerators
    # Citations stay as published: a quoted title, and names before a year ("Robbins & Monro
    # (1951)", "Kingma & Ba, ICLR 2015", "Nocedal & Wright, 'Numerical Optimization' §3.3").
    text = re.sub(r"'[^'\n]+'|\"[^\"\n]+\"", "", text)
    text = re.sub(r"\b[A-Z][\w'’-]+(?:\s*(?:&|and|,)\s*[A-Z][\w'’-]+)*(?:\s+et al\.)?,?\s*"
                  r"(?:\(?(?:[A-Z]{2,}\s*)?\d{4}\)?|§\s*[\d.]+)", "", text)
    text = re.sub(r"\b\w+(\.\w+)+\b", "", text)  # code names: torch.optim.lr_scheduler
    text = re.sub(r"\b\w*_\w*\b", "", text)  # torch's names: weight_decay, beta2_decay
    text = re.sub(r"\b\w+\[\d+\]", "", text)  # torch's arguments by index: step_sizes[0]
    text = re.sub(r"\b\w+\.(png|svg|gif|mp4|toml|csv|py|ipynb|npz)\b", "", text)  # file names
    text = re.sub(r"(?<![\w.])\.\w+\b", "", text)  # file types on their own: .mp4, .avi
    return [w for w in WORD.findall(text) if w.lower().strip("'’-") not in allowed]


def english(texts, labels: set[str] = frozenset()) -> list[tuple[str, str]]:
    """The (where, text) whose text has an English word; ``labels`` are the user's own texts
    (run labels, a scene file's title) that are shown as they were written."""
    return [(where, text) for where, text in texts
            if text not in labels and english_words(text)]
