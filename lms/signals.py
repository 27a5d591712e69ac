"""Signals the site core sends so upper layers can react without lms importing them.

`legal_change_applied(sender=LegalChange, change, user)` is sent inside the transaction of
`lms.legal.legal_change_apply`, after the provisions were updated: a receiver's writes commit
or roll back together with the change.
"""

from django.dispatch import Signal

legal_change_applied = Signal()

# Officer profiles written in bulk (bulk_create / bulk_update skip post_save), sent inside
# the transaction that wrote them. kwargs: created (profile ids), updated (profile ids).
# A profile saved one at a time sends Django's post_save instead.
officer_profiles_written = Signal()
