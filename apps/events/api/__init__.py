"""LabIntel's public, read-only JSON API under /api/: events, entities and storylines.

Plain Django: function views returning JsonResponse, serialisers as plain functions, keyset
pagination with opaque cursors. The contract is documented in the README ("JSON API"); a change
that breaks a client needs a new path, not an edit.
"""
