"""The one exception type whose message is shown to users."""


class LecturerError(Exception):
    """A problem the user can act on: `message` is Chinese for users, `detail` is for logs."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or message

    def __str__(self) -> str:
        return self.message


class Unavailable(LecturerError):
    """A store the lecturer needs cannot be reached or written (Chroma, the state database, the disk):
    nothing the user asked is wrong, and trying again later may work (HTTP 503)."""
