"""Run colours: a bright default set, and Okabe & Ito's colour-blind-safe set for the hall."""

# Fourteen colours that stay apart on the pale map (after Trubetskoy's "20 distinct
# colours", the light ones left out).
DEFAULT = ["#e6194b", "#4363d8", "#3cb44b", "#f58231", "#911eb4", "#469990", "#f032e6",
           "#9a6324", "#000075", "#808000", "#800000", "#0bb5d6", "#6b6b6b", "#d4a000"]
# Okabe & Ito (2008), "Color Universal Design" (black → dark grey-blue), then Paul Tol's
# "muted" colours that are not near an Okabe–Ito hue. Past eight runs colour alone cannot
# stay safe for every reader, so runs also get distinct marker symbols (see SYMBOLS).
COLOUR_BLIND_SAFE = ["#d55e00", "#0072b2", "#009e73", "#e69f00", "#cc79a7", "#56b4e9",
                     "#f0e442", "#3b4a5a", "#882255", "#332288", "#999933", "#aa4499",
                     "#88ccee", "#ddcc77"]
SYMBOLS = ["o", "s", "t", "d", "p", "h", "star", "t1"]


def run_colour(index: int, colour_blind_safe: bool = False) -> str:
    colours = COLOUR_BLIND_SAFE if colour_blind_safe else DEFAULT
    return colours[index % len(colours)]


def run_symbol(index: int) -> str:
    return SYMBOLS[index % len(SYMBOLS)]
