"""Shared bits for the engine tests."""

import sys
from pathlib import Path

# The tests import their helper ``reference_optimizers`` from this folder; make that work under
# any pytest import mode (``prepend`` puts the folder on sys.path itself, ``importlib`` does not).
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
