"""The public catalog."""

# Imported with the package, so that every process whose commits can raise CATALOG (the
# server, `kurasi worker`, the CLI's commands) tells the other processes of them.
from app.catalog import invalidation as invalidation
