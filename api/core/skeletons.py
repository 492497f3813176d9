"""Look-alike detection for usernames: the skeletons of Unicode Technical Standard #39.

Two strings that render alike (`admin`; `admin` with a Cyrillic a, U+0430; with a dotless i,
U+0131; in fullwidth letters) have the same skeleton: each character is replaced by the
prototype it is confusable with, from Unicode's confusables.txt (section 4, "Confusable
Detection"). A skeleton is only a key for comparing; it is never shown to anyone.

The data is the confusables.txt that the `confusables` distribution installs. That package's
own functions are not used: importing it loads a 2.7 MB table of its own that adds mappings
that are not Unicode's (such as `a` to `@`, and accents stripped).
"""

import functools
import hashlib
import importlib.metadata
import re
import unicodedata
from typing import NamedTuple

CONFUSABLES_DISTRIBUTION = "confusables"
CONFUSABLES_FILE = "confusables/assets/confusables.txt"

# Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 14): characters that render
# as nothing, such as the Hangul fillers, which Python counts as letters. UTS #39's skeleton
# drops them. Python's unicodedata does not expose the property.
DEFAULT_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_IGNORABLE = re.compile(
    "["
    + "".join(f"{re.escape(chr(first))}-{re.escape(chr(last))}" for first, last in DEFAULT_IGNORABLE_RANGES)
    + "]"
)

# Normalising a mapped string can expose a character that maps again (Python's Unicode version
# is not the data's), so the mapping repeats until nothing changes: at most twice for any
# character with the data and Python of this writing.
_MAX_ROUNDS = 4


class ConfusablesDataError(RuntimeError):
    """The installed confusables.txt is missing or is not Unicode's file."""


@functools.cache
def _prototypes() -> dict[int, str]:
    """`str.translate` table: each confusable character to its prototype.

    Loaded on first use, so that processes that never compare usernames do not hold it. Read
    as bytes, and only the two code point columns: decoding the whole file (its comments show
    every character) would cost a worker several MiB for good.
    """
    table = {}
    try:
        path = importlib.metadata.distribution(CONFUSABLES_DISTRIBUTION).locate_file(CONFUSABLES_FILE)
        with path.open("rb") as file:
            if b"Unicode Security Mechanisms for UTS #39" not in file.read(1000):
                raise ConfusablesDataError(f"{path} is not Unicode's confusables.txt")
            file.seek(0)
            # Lines are `source ; prototype ; type # comment`, code points in hexadecimal.
            for line in file:
                fields = line.split(b"#", 1)[0].split(b";")
                if len(fields) >= 2:
                    table[int(fields[0], 16)] = "".join(chr(int(code, 16)) for code in fields[1].split())
    except (importlib.metadata.PackageNotFoundError, OSError) as exc:
        raise ConfusablesDataError(f"cannot read {CONFUSABLES_FILE}: {exc}") from exc
    return table


def skeleton(text: str) -> str:
    """UTS #39 skeleton: NFD, drop default ignorables, map to prototypes, NFD again."""
    table = _prototypes()
    for _ in range(_MAX_ROUNDS):
        decomposed = _IGNORABLE.sub("", unicodedata.normalize("NFD", text))
        mapped = unicodedata.normalize("NFD", decomposed.translate(table))
        if mapped == text:
            break
        text = mapped
    return text


class UsernameKeys(NamedTuple):
    """A username's look-alike keys: SHA-256 hex digests of its skeleton in three renderings.

    Usernames are case-insensitive, so a name may be shown in any case. Two names clash when
    any key of one is any key of the other. No single key would do: it would have to treat
    i as l in every name (`neil` as `nell`), since a capital I looks like a small l.
    """

    # The name in small letters: case and width variants (`Admin`, fullwidth `ADMIN`) and
    # look-alikes in small letters (`admin` with a Cyrillic a, or with a dotless i).
    lower: str
    # The name in capitals: look-alikes in capitals whose small forms differ (`ADMIN` with a
    # Cyrillic A and M, the capitals of `admin`, whose small Cyrillic em is not confusable with m).
    upper: str
    # The name as written: look-alikes that rely on a capital among small letters (`PaypaI`
    # with a capital i, for `paypal`).
    written: str


def username_keys(username: str) -> UsernameKeys:
    """The look-alike keys of a username (see `UsernameKeys`).

    The small-letter renderings are folded again after the mapping, since a prototype may be a
    capital (0 maps to O): that way they compare with each other across names.

    Digests rather than the skeletons themselves: a skeleton can be seven times as long as the
    name (a Hangul syllable becomes up to seven jamo and look-alikes), which for a 150-character
    name can exceed the 2,704 bytes PostgreSQL allows a B-tree index entry.
    """
    name = unicodedata.normalize("NFKC", username)
    folded = unicodedata.normalize("NFKC", name.casefold())
    return UsernameKeys(
        lower=_digest(_folded_skeleton(folded)),
        upper=_digest(skeleton(folded.upper())),
        written=_digest(_folded_skeleton(name)),
    )


def _folded_skeleton(text: str) -> str:
    return skeleton(skeleton(text).casefold())


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
