"""The command line moved to ``python -m warehouse`` (``loaders`` never writes the warehouse)."""
import sys

print("Dòng lệnh đã chuyển: dùng 'python -m warehouse build | ingest | export | users' (xem README).", file=sys.stderr)
raise SystemExit(2)
