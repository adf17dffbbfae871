"""The commands of `socialcal`, one module per command or group of commands (`new`, `results`,
`pr-comment`/`pr-approve`). Each declares its options with click, calls the logic that lives below
it, prints and exits; `cli.py` assembles them. A command imports what it uses when it runs, so
`socialcal --help` loads no models, MkDocs or git. Shared by all of them: `common.py`."""
