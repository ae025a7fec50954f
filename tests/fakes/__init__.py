"""Test doubles shared by the suite: an in-memory session repository and a fake agent script."""
