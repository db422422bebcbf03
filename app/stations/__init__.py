"""Monitoring stations: what is installed where, what it measures, and its connection."""
