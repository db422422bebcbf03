"""Telemetry: receipt of the stations' data files and the figures of what arrived."""
