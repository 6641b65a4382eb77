"""Who hears of which event (SPEC §9), in which words: texts for in-app notifications
and, later, email, and the worker's handler that writes the notifications."""
