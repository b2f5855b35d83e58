"""Command groups registered on the main CLI with `register(app)`."""
