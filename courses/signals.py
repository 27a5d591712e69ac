"""Domain events other apps hook into (certificates listen to course_completed)."""

from django.dispatch import Signal

# Sent once per officer and course, after the transaction that completed it commits.
# kwargs: user, course, enrollment
course_completed = Signal()

# Sent once per completed refresher (penyegaran), after the transaction that completed it commits.
# kwargs: user, course, refresher
refresher_completed = Signal()
