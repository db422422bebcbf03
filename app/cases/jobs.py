"""Jobs of the cases domain: the daily compliance sweep."""
