"""Domain events other apps hook into (certificates listen to course_completed, webhooks to both)."""

from django.dispatch import Signal

# Sent once per officer and course, after the transaction that completed it commits.
# kwargs: user, course, enrollment
course_completed = Signal()

# Sent once per completed refresher (penyegaran), after the transaction that completed it commits.
# kwargs: user, course, refresher
refresher_completed = Signal()

# Sent once per officer and course inside the transaction that completed it, for records
# that must commit or roll back with the completion (the API's webhook deliveries).
# kwargs: user, course, enrollment
course_completion_recorded = Signal()
