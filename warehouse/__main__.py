"""``python -m warehouse build | ingest | export | users`` (see ``warehouse.cli``)."""
from .cli import main

raise SystemExit(main())
