"""SQL storage of the moderation module (private tables; nothing else imports them)."""
