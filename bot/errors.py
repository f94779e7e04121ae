"""The one exception type whose message is shown to users."""


class LecturerError(Exception):
    """A problem the user can act on: `message` is Chinese for users, `detail` is for logs."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or message

    def __str__(self) -> str:
        return self.message
