"""socialcal: a content calendar kept as Markdown files in Git.

The package follows the data flow of docs/design.md: ``load`` → ``validate`` → ``calendar_model`` → views
(``site``, ``feeds``, reports), driven by ``cli``.
"""



def __getattr__(name: str) -> str:
    """`generator.__version__`: pyproject.toml's version, read from the installed metadata (one
    place to change it), only when asked: `socialcal --help` stays light."""
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("socialcal")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"
