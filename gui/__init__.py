"""Descent Lab's window: Qt only. All optimizer maths lives in ``engine``."""
