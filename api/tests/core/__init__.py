"""Tests of the domain-free plumbing: errors, bodies, settings, docs, health, faults."""
