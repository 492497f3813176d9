import unicodedata

from django.contrib.auth.hashers import Argon2PasswordHasher


def normalize_password(password):
    """`password` in Unicode's NFKC form, as it is hashed, checked and validated (other values as
    they are).

    A password typed on another keyboard or system may reach the server as other code points for
    the same text: `é` as one character or as `e` and a combining accent, fullwidth p (U+FF50) for `p`.
    NFKC maps each of these to one form (NIST SP 800-63B-4, 3.1.1.2), so the user's password is
    the text they see, however it was typed.
    """
    return unicodedata.normalize("NFKC", password) if isinstance(password, str) else password


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id of the NFKC form of the password, with one of OWASP's recommended parameter sets:
    7 MiB, 5 iterations, 1 lane.

    OWASP lists 19 MiB/t=2, 12 MiB/t=3, 9 MiB/t=4 and 7 MiB/t=5 as equally strong; each costs
    about the same CPU (measured: 25 ms here, against 28 ms for 9 MiB/t=4). This one keeps a
    login's memory peak, which every worker reaches, the lowest, so a worker stays under 90 MB
    with passkeys and the password rules loaded too. Django's own defaults (100 MiB, 8 lanes) cost several
    times more memory and CPU per login for no gain on a two-core server. Hashes made with
    other parameters still verify and are re-hashed with these at the next login
    (`must_update`).

    Its hashes are named `argon2nfkc` rather than Django's `argon2`: a hash of that older name was
    made of the password as typed, before passwords were normalised. Django's own
    `Argon2PasswordHasher`, listed after this one, still verifies those with the password as
    typed, and Django re-hashes them with this one at that login, as for any hasher that is not
    the first. Normalising is done here, where every door that sets or checks a password ends
    up (`make_password`, `set_password`, `check_password`: the API, the admin, `manage.py`).
    """

    algorithm = "argon2nfkc"
    time_cost = 5
    memory_cost = 7 * 1024
    parallelism = 1

    def encode(self, password, salt):
        return super().encode(normalize_password(password), salt)

    def verify(self, password, encoded):
        return super().verify(normalize_password(password), encoded)
