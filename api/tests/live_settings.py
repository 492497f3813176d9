"""The production settings with the suite's quick Argon2id for new hashes: what the live servers
run (`api.tests.live.server_env`).

A production hash costs 25 ms of CPU, and the live tests sign up and log in thousands of times
(a hundred rounds of a race, parallel registrations): most of their CPU went to hashing that none
of them is about. Hashes keep their form and verify through the same code; the tests of what a
login stores and of the failure limit's race window run `backend.settings` itself.
"""

from backend.settings import *  # noqa: F403
from backend.settings import PASSWORD_HASHERS as _PRODUCTION_HASHERS

PASSWORD_HASHERS = ["api.tests.hashers.QuickArgon2idHasher", *_PRODUCTION_HASHERS[1:]]
