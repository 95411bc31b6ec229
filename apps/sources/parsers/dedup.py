"""Exact and near-duplicate fingerprints of article text (the same story in several outlets).

- `content_hash`: sha256 of the text with case, punctuation and spacing normalised away, so
  syndicated copies that differ only in typography ("smart" quotes, dashes) hash the same.
- `minhash_signature`: a 64-value MinHash over word 5-shingles; `similarity` estimates the
  Jaccard similarity of two texts' shingle sets from their signatures.
- `band_values`: 16 bands of 4 values (locality-sensitive hashing). Two texts with Jaccard
  similarity 0.8 share at least one band with probability > 0.999, and texts at 0.3 rarely do,
  so an index on (band, value) finds the candidates without comparing every pair.

An empty text has an empty signature and no bands: it is a near-duplicate of nothing.
"""

import hashlib
import re
import unicodedata
import zlib

import numpy as np
from datasketch import MinHash

# Two independently written reports of one event share almost no five-word runs (well under
# 0.2); a syndicated copy with a rewritten opening and its own standfirst still shares most of
# them (about 0.7). 0.6 separates the two with room on both sides.
NEAR_DUPLICATE_THRESHOLD = 0.6
NUM_PERM = 64
BANDS, ROWS = 16, 4
SHINGLE_WORDS = 5
# Fixed seed, scheme and shingle hash, so signatures stored by one process (or one datasketch
# release) compare with those computed by another. MinHash needs a well-spread hash of each
# shingle, not a cryptographic one: CRC-32 is stable and three times faster than SHA-1.
SEED = 20250301
SCHEME = "affine32"

# Built once: MinHash derives its permutations from the seed with numpy, which is slow.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
# Anything that is not a letter, digit or space: punctuation, quotes, dashes, symbols.
_NOT_WORD = re.compile(r"[^\w\s]|_")


def content_hash(text: str) -> str:
    return _content_hash(_words(text))


def minhash_signature(text: str) -> bytes:
    """The MinHash of the text's word 5-shingles as 64 little-endian uint64 values."""
    return _signature(_words(text))


def fingerprint(text: str) -> tuple[str, bytes]:
    """`content_hash` and `minhash_signature` together, normalising the text once."""
    words = _words(text)
    return _content_hash(words), _signature(words)


def _content_hash(words: list[str]) -> str:
    # No words, no identity: empty texts are not copies of each other.
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest() if words else ""


def _signature(words: list[str]) -> bytes:
    if not words:
        return b""
    # A text shorter than one shingle is its own single shingle.
    size = min(SHINGLE_WORDS, len(words))
    shingles = [" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)]
    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        permutations=_PERMUTATIONS,
        scheme=SCHEME,
        hashfunc=zlib.crc32,
    )
    minhash.update_batch(shingles)
    return minhash.hashvalues.astype("<u8").tobytes()


def band_values(signature: bytes) -> list[int]:
    """One signed 64-bit value per band (a PostgreSQL bigint), the same in every process."""
    if len(signature) != NUM_PERM * 8:
        return []
    width = ROWS * 8
    return [
        int.from_bytes(
            hashlib.blake2b(signature[b * width : (b + 1) * width], digest_size=8).digest(),
            "little",
            signed=True,
        )
        for b in range(BANDS)
    ]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets, 0.0 to 1.0."""
    if len(a) != NUM_PERM * 8 or len(a) != len(b):
        return 0.0
    left, right = np.frombuffer(a, dtype="<u8"), np.frombuffer(b, dtype="<u8")
    return float(np.count_nonzero(left == right)) / NUM_PERM


def _words(text: str) -> list[str]:
    # NFKC folds compatibility forms (full-width letters, ligatures) before casefolding.
    normalised = unicodedata.normalize("NFKC", text).casefold()
    return _NOT_WORD.sub(" ", normalised).split()
