from rest_framework_simplejwt.token_blacklist.management.commands import flushexpiredtokens

from api.sessions.services import tokens_flush_expired


class Command(flushexpiredtokens.Command):
    help = "Deletes expired outstanding tokens (and their blacklist entries) and ended sessions."

    def handle(self, *args, **kwargs) -> None:
        super().handle(*args, **kwargs)
        sessions = tokens_flush_expired()
        self.stdout.write(f"Deleted expired tokens and {sessions} ended sessions.")
