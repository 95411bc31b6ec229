import pytest

from apps.common.batches import chunks


def test_it_slices_in_order_with_a_shorter_last_chunk() -> None:
    assert chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    assert chunks([], 3) == []


def test_it_refuses_an_empty_chunk_size() -> None:
    with pytest.raises(ValueError, match="at least one"):
        chunks([1], 0)
