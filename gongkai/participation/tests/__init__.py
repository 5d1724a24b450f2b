"""Tests of the participation app."""
