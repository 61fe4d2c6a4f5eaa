"""Typed formulas as a problem kind: ``[problem]`` with ``formula = "..."``."""

from ..problems.kind import ProblemKind
from .compile_parts import PARTS
from .config import FormulaConfig, formula_dict, read_formula

FORMULA = ProblemKind(
    name="formula",
    groups=("surfaces", "formula"),
    precompile={"formula": PARTS},
    scene_key="formula",
    config_attr="formula",
    config_class=FormulaConfig,
    read=read_formula,
    write=formula_dict,
    build=lambda scene: scene.formula.build(scene.start),
    centre=lambda cfg: cfg.default_start,
    precheck=lambda scene: scene.formula.build(scene.start),  # parses the text
)
