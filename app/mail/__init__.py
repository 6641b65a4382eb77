"""Email (SPEC §9): the queue of messages, the SMTP client that sends them from `kurasi
worker`, curators' daily digest, and the admins' view of what failed."""
