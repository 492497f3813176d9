from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id with one of OWASP's recommended parameter sets: 9 MiB, 4 iterations, 1 lane.

    OWASP lists 19 MiB/t=2, 12 MiB/t=3, 9 MiB/t=4 and 7 MiB/t=5 as equally strong; each costs
    about the same CPU. This one keeps a login's memory peak (which every worker reaches) low,
    so a worker stays under 90 MB. Django's own defaults (100 MiB, 8 lanes) cost several
    times more memory and CPU per login for no gain on a two-core server. Hashes made with
    other parameters still verify and are re-hashed with these at the next login
    (`must_update`).
    """

    time_cost = 4
    memory_cost = 9 * 1024
    parallelism = 1
