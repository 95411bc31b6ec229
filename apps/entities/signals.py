"""What the entities app tells higher apps, which it must not import.

`entities_merged(survivor_id, loser_id)`: sent inside the merge's transaction once every row that
pointed at the loser points at the survivor and the loser is gone, so that apps keeping figures
derived from those rows (the events app's weekly mention counters) can compute them again.
"""

from django.dispatch import Signal

entities_merged = Signal()
