from api.accounts.hashers import Argon2idPasswordHasher


class QuickArgon2idHasher(Argon2idPasswordHasher):
    """The project's Argon2id at the smallest cost the algorithm allows, for the suite's users.

    Its hashes have the same form (`argon2nfkc$argon2id$...`) and verify through the same code; only
    the work differs: microseconds instead of tens of milliseconds, paid by thousands of tests
    that create or log in a user. The tests of hashing itself use `project_password_hashers`.
    """

    time_cost = 1
    memory_cost = 8
    parallelism = 1
