class DomainError(Exception):
    """A refusal the user should read: `message` is translated and shown as is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
