"""A channel's exhibition catalog as files: a printable A4 PDF, CSV and XLSX.

`rows.py` reads the channel's products as the catalog shows them today, `words.py` holds
what the files say in Japanese and English, `spreadsheet.py` writes CSV and XLSX,
`pdf.py` lays out the PDF with `qr.py` and `thumbnails.py`, and `service.py` puts them
together for the API and `kurasi catalog export`.
"""
