"""Compliance: who is obliged to monitor automatically, under which clause."""
