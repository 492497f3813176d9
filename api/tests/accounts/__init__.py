"""Tests of sign-up and the account."""
