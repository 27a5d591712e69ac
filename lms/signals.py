"""Domain events of the site core that apps above hook into (lms imports no app; they listen here)."""

from django.dispatch import Signal

# Officer profiles written in bulk (bulk_create / bulk_update skip post_save), sent inside
# the transaction that wrote them. kwargs: created (profile ids), updated (profile ids).
# A profile saved one at a time sends Django's post_save instead.
officer_profiles_written = Signal()
