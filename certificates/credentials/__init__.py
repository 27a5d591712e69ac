"""Portable credentials: Open Badges 3.0 / W3C Verifiable Credentials signed with the issuer keys (README "Portable credentials")."""
