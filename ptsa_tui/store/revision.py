"""The schema revision this code expects, apart from Alembic so a check of it loads nothing."""

HEAD = "0010"  # the newest revision; a test keeps it equal to Alembic's head
