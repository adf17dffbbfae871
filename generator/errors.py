"""Errors that end a command with a message rather than a diagnostic. Kept free of imports so
the command line can catch them without loading the models."""


class ConfigError(Exception):
    """A registry or setting cannot be used; the message names the file and what to fix."""
