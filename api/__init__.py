"""The integration API under /api/v1/ for the agencies' HR systems (README "API"): OAuth 2.0 clients, resources, docs."""
