"""Tests of the notes endpoints, their selectors and serializer."""
