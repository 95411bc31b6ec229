"""What the sources app tells higher apps, which it must not import.

`article_extracted(article_id, run_now)`: an article has its text. Receivers start the next stage:
in a worker they enqueue it after commit; with `run_now` (the synchronous `ingest`) they run it.
"""

from django.dispatch import Signal

article_extracted = Signal()
