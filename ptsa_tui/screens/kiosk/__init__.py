"""The customer-facing kiosk: a request's status, and its satisfaction survey."""
