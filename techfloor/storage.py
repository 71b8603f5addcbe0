"""Storage for files that must never have a public address."""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Evidence and confidential attachments: served only by views that check permission."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files are not accessible via a URL; use a view that checks.")
