"""The demo province: fictional enterprises across the real communes of one province."""
