"""Workshop composer and scheduler for participatory conferences (CP-SAT)."""

__version__ = "0.1.0"
