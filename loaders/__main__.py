"""Command line: ``python -m loaders build | ingest | export`` (see ``loaders.cli``)."""
from .cli import main

raise SystemExit(main())
