"""socialcal: a content calendar kept as Markdown files in Git.

The package follows the data flow of docs/DESIGN.md: ``load`` → ``validate`` → ``calendar`` → views
(``site``, ``feeds``, reports), driven by ``cli``.
"""

__version__ = "0.1.0"
