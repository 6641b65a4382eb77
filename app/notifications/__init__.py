"""Who hears of which event (SPEC §9), in which words: texts for in-app notifications and
email, the worker's handler that writes the notifications and queues the same texts as
mail (app/mail sends them)."""
