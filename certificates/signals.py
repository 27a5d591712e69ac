"""Domain events of certificates that apps above hook into (the integration API's webhooks).

Both are sent inside the transaction that wrote the change, so a receiver's own
records commit or roll back with it; anything a receiver does outside the database
belongs in `transaction.on_commit`.
"""

from django.dispatch import Signal

# kwargs: certificate (a new record; its agency is loaded)
certificate_issued = Signal()
# kwargs: certificate (as revoked), by
certificate_revoked = Signal()
