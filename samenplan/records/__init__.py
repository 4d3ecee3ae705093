"""What every record shares: a version for optimistic concurrency and a history of revisions
(DESIGN.md §4, "Records remember"). `history.py` writes a revision for every change of every
kind of record, in one place."""
