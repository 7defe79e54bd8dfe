"""Disparities by race, sex and age in stops, searches, arrests and force."""
