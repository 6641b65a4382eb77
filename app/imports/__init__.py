"""Bulk import of products from a spreadsheet (SPEC §8): the template, reading CSV and
XLSX files as people save them, checking every row by the rules of the product API, and
writing all rows or none."""
