"""The alert daemon: claim deadlines watched, supervisors warned once by email and SMS."""

# `ptsa alerts run` passes this to the lean daemon it execs when the server is the embedded one
KEEP_EMBEDDED = "--keep-embedded"
