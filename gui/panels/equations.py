"""The update rule of the selected run's optimizer, as rich text, with the live value of every
term under it (refreshed with the leaderboard) and, step by step, the current line lit."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea

from descentlab import engine
from descentlab.engine.maps.explain import fmt_value
from descentlab.engine.spec import rule_html as engine_rule_html

from ..map.explain_layer import with_hats
from ..support.i18n import QT_TRANSLATE_NOOP, fill, shown, translate
from .base import Panel

# How the live numbers are labelled: the rule's own symbols (torch's state names → letters).
SYMBOLS = {
    "grad": "g", "update": QT_TRANSLATE_NOOP("EquationsPanel", "Δθ (the step)"), "step": "t", "exp_avg": "m",
    "exp_avg_sq": "v",
    "max_exp_avg_sq": "v<sub>max</sub>", "m_hat": "m̂", "v_hat": "v̂",
    "lr_eff": QT_TRANSLATE_NOOP("EquationsPanel", "effective lr"), "bias_correction1": "1 − β<sub>1</sub><sup>t</sup>",
    "bias_correction2": "1 − β<sub>2</sub><sup>t</sup>", "momentum_buffer": "b",
    "velocity": "v", "sum": "s", "square_avg": "v", "grad_avg": "ḡ", "v_centered": "ṽ = v − ḡ²",
    "acc_delta": "u", "delta": "Δ", "exp_inf": "u", "mu_product": "Πμ", "mu": "μ<sub>t</sub>",
    "mu_next": "μ<sub>t+1</sub>", "rho_t": "ρ<sub>t</sub>", "rho_inf": "ρ<sub>∞</sub>",
    "rect": "r<sub>t</sub>", "clr": "α/(1+(t−1)η)",
    # Rprop, ASGD, Adafactor, Muon (torch's state names, written as their rules write them)
    "prev": "g<sub>prev</sub>", "step_size": "Δ", "eta": "η<sub>t</sub>", "variance": "v",
    "row_var": "R", "col_var": "C", "step_scale": "s<sub>t</sub>", "one_minus_beta2_t": "t<sup>τ</sup>",
    "ortho": "O",
}
SYMBOLS["direction"] = QT_TRANSLATE_NOOP("EquationsPanel", "d (the Newton direction)")
ORDER = ("step", "grad", "velocity", "momentum_buffer", "sum", "square_avg", "grad_avg",
         "v_centered", "acc_delta", "delta", "exp_avg", "exp_avg_sq", "max_exp_avg_sq", "exp_inf",
         "mu", "mu_next", "mu_product", "bias_correction1", "bias_correction2", "m_hat", "v_hat",
         "rho_inf", "rho_t", "rect", "clr", "lr_eff", "update")
HIGHLIGHT = "background-color:#ffe680"


def rule_html(equations_html: str, line: int | None) -> str:
    """The rule with line ``line`` (of its ``<br>``-separated lines) lit; −1: none of them."""
    if line is None or line < 0:
        return equations_html
    parts = equations_html.split("<br>")
    line = min(line, len(parts) - 1)
    parts[line] = f"<span style='{HIGHLIGHT}'>&nbsp;{parts[line]}&nbsp;</span>"
    return "<br>".join(parts)


def live_numbers_html(explained: dict | None) -> str:
    """Every term of the last step, in the rule's symbols (``Race.explain``'s dict)."""
    if not explained:
        return ""
    step = int(explained.get("step", 0))
    keys = [k for k in ORDER if k in explained] + sorted(set(explained) - set(ORDER))
    if step == 0:  # no step yet: no Δθ, and no term such as m̂ = 0/0 that only a step defines
        keys = [k for k in keys if not np.all(np.isnan(np.asarray(explained[k], dtype=float)))]
    cells = []
    for k in keys:
        value = explained[k]
        text = str(int(value)) if k == "step" else shown(fmt_value(value))
        cells.append(f"{shown(SYMBOLS.get(k, k))} = <b>{text}</b>")
    if step == 0:
        head = translate("EquationsPanel", "live numbers (before the first step):")
    else:
        head = fill(translate("EquationsPanel", "live numbers, step %1:"), step)
    return (f"<div style='color:#333; margin-top:4px; font-size:90%'><i>{head}</i> "
            + " &nbsp;·&nbsp; ".join(cells) + "</div>")


def format_value(value: float, kind: str) -> str:
    if kind == "bool":
        return translate("EquationsPanel", "on") if value else translate("EquationsPanel", "off")
    return f"{value:g}"


def equations_html(optimizer: str, hyper: dict[str, float], label: str, colour: str,
                   line=None, explained: dict | None = None) -> str:
    """The rule; ``line``: the walk's current ``engine.maps.explain.Line`` (step by step), lit with
    its caption; ``explained``: the live numbers."""
    spec = engine.get_optimizer(optimizer)
    values = ", ".join(f"{h.name} = {format_value(hyper.get(h.name, h.default), h.kind)}"
                       for h in spec.hyper)
    g = "g = ∇f(θ)"
    if line is not None and line.rule < 0:
        g = f"<span style='{HIGHLIGHT}'>&nbsp;{g}&nbsp;</span>"
    caption = ""  # the map shows the line's caption; here it is lit in the rule
    return with_hats(
        f"<div style='font-size:110%'><b style='color:{colour}'>{label}</b> — {shown(spec.name)}</div>"
        f"<div style='font-size:125%; margin:6px 0'>"
        f"{rule_html(engine_rule_html(shown(spec.equations)), None if line is None else line.rule)}</div>"
        f"{caption}"
        f"{live_numbers_html(explained)}"
        f"<div style='color:#555'>{g} &nbsp;·&nbsp; {values}</div>"
        f"<div style='color:#777; font-size:90%'>{shown(spec.reference)}</div>"
    )


class EquationsPanel(QScrollArea, Panel):
    """The rule in a scroll area: large type in a short panel scrolls, it is never cut."""

    initial_height = 170

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setMargin(6)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._explained = None  # the selected run's last step (Race.explain), for live numbers
        controller.explain.changed.connect(self.show_selected)
        self.show_nothing()

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802 — Qt's name
        self.label.setText(text)

    def show_nothing(self) -> None:
        self.setText("<i>" + translate("EquationsPanel", "Add a run to see its update rule.") + "</i>")

    def show_run(self, optimizer: str, hyper: dict[str, float], label: str, colour: str) -> None:
        line = self.controller.explain.current_line
        self.setText(equations_html(optimizer, hyper, label, colour, line, self._explained))

    def refresh_table(self, snapshot) -> None:
        try:
            self._explained = self.controller.explain_selected()
        except ValueError:
            self._explained = None
        self.show_selected()

    def share(self, look) -> float:
        # the rule, its live numbers and (step by step) the lit line need the room
        return 0.17 if look is not None and look.data_view else 0.28

    def runs_changed(self) -> None:
        self.show_selected()

    def retranslate(self) -> None:
        self.show_selected()

    def selection_changed(self, snapshot) -> None:
        self._explained = self.controller.explain_selected()
        self.show_selected()

    def run_edited(self, uid: int) -> None:
        if uid == self.controller.selected_uid:
            self.show_selected()

    def show_selected(self) -> None:
        c = self.controller
        try:
            e = c.entry(c.selected_uid)
        except ValueError:
            self.show_nothing()
            return
        self.show_run(e.config.optimizer, c.hyper_of(e.uid), e.label, e.colour)
