from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum parameters: 19 MiB of memory, 2 iterations, 1 lane.

    Django's own defaults (100 MiB, 8 lanes) cost several times more memory and CPU per login
    for no gain on a two-core server; OWASP's floor keeps GPU cracking expensive while letting
    one worker answer many logins a second. Hashes made with other parameters still verify
    and are re-hashed with these at the next login (`must_update`).
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
