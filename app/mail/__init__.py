"""Email (SPEC §9): the SMTP client that sends the queued messages from `kurasi worker`,
curators' daily digest, and the admins' view of the queue (app/notifications queues
the messages)."""
