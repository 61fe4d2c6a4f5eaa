"""Run colours: a bright default set, and Okabe & Ito's colour-blind-safe set for the hall."""

# Tableau 10, reordered so the first runs get the most distinct colours.
DEFAULT = ["#e15759", "#4e79a7", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948",
           "#ff9da7", "#9c755f", "#17becf", "#1f3b73", "#8c6d31", "#d62728", "#7f7f7f"]
# Okabe & Ito (2008), "Color Universal Design"; black is replaced by a dark grey-blue.
# Extended with Paul Tol's "muted" scheme (also colour-blind safe) past eight runs.
COLOUR_BLIND_SAFE = ["#d55e00", "#0072b2", "#009e73", "#e69f00", "#cc79a7", "#56b4e9",
                     "#f0e442", "#3b4a5a", "#882255", "#117733", "#332288", "#999933",
                     "#44aa99", "#aa4499", "#88ccee", "#ddcc77"]


def run_colour(index: int, colour_blind_safe: bool = False) -> str:
    colours = COLOUR_BLIND_SAFE if colour_blind_safe else DEFAULT
    return colours[index % len(colours)]
