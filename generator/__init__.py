"""socialcal: a content calendar kept as Markdown files in Git.

The package follows the data flow of docs/design.md: ``load`` → ``validate`` → ``calendar_model`` → views
(``site``, ``feeds``, reports), driven by ``cli``.
"""



def __getattr__(name: str) -> str:
    """`generator.__version__`: pyproject.toml's version, read from the installed metadata (one
    place to change it), only when asked: `socialcal --help` stays light. Looked up once."""
    if name != "__version__":
        raise AttributeError(name)
    found = _dist_info_version()
    if found is None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("socialcal")
        except PackageNotFoundError:  # a source tree that was never installed
            found = "0+unknown"
    globals()["__version__"] = found  # module attributes are found before __getattr__ is asked
    return found


def _dist_info_version() -> str | None:
    """The Version of the first `socialcal-*.dist-info` on sys.path, as importlib.metadata finds
    it, without importing it (40 ms of a 0.2 s `validate` that has nothing to check)."""
    import os
    import sys

    for entry in sys.path:
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.startswith("socialcal-"))
        except OSError:
            continue
        for name in (n for n in names if n.endswith(".dist-info")):
            try:
                with open(os.path.join(entry or ".", name, "METADATA"), encoding="utf-8") as fh:
                    for line in fh:
                        if line.startswith("Version:"):
                            return line.partition(":")[2].strip() or None
                        if not line.strip():
                            break  # the end of the headers
            except OSError:
                continue
    return None
