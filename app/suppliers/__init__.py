"""Automotive suppliers (SPEC §10): curators' reviews of an MSME as a supplier."""
