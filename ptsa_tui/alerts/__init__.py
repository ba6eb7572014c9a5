"""The alert daemon: claim deadlines watched, supervisors warned once by email and SMS."""
