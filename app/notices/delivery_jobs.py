"""Jobs of notice delivery: e-mails with retries, the reminders sweep."""
