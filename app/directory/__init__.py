"""The supplier directory (SPEC §10): approved automotive suppliers, for buyers."""
