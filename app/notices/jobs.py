"""Jobs of the notices domain: rendering on issue, bulk issue."""
