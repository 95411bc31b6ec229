"""Splitting long id lists into batches."""

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> list[list[T]]:
    """Consecutive slices of at most `size` items (the last may be shorter)."""
    if size < 1:
        raise ValueError(f"a chunk holds at least one item, not {size}")
    return [list(items[start : start + size]) for start in range(0, len(items), size)]
