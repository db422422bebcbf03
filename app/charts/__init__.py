"""Server-side SVG charts: the same code draws them in pages and in PDFs (no scripts, no CDN)."""
