"""The typed formulas' precompile part (engine.compile.precompile): what a first launch's
child compiles for them."""


def compile_formulas() -> None:
    import numpy as np

    from ..race.race import Race
    from .problem import FormulaSurface

    # points and minima search (building one), the map's grid, the race kernel
    formula = FormulaSurface("x^2 + y^2")
    xs = np.linspace(-1.0, 1.0, 4)
    formula.loss_grid(xs, xs)
    race = Race(formula, history=4)
    race.add_run("adam")
    race.add_run("newton")  # the Hessians' kernel (a Newton run's start)
    race.advance(2)


PARTS = {"formulas": compile_formulas}  # points, grid, minima search and their race kernel
