"""Server-rendered HTML pages for people, not API clients: the public page of a published
product, where a buyer's phone lands from the QR code of a printed catalog."""
