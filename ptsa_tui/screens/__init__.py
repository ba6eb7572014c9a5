"""The desk app (Textual): login, each position's live inbox, the request screen, intake."""
