"""HTTP entry points of the moderation module: reports and the staff report queue."""
