from django.core.management.base import BaseCommand, CommandError

from api.core import counters, outbox, security_log
from api.dpop import replay
from api.mfa.services import mfa_flush_expired
from api.oidc.services import oidc_flush_expired
from api.passkeys.services import passkey_challenges_flush
from api.sessions.services import FLUSH_BATCH_SIZE, tokens_flush_expired


class Command(BaseCommand):
    """SimpleJWT's command name, for cron jobs written for it; here it prunes ended sessions,
    two-factor logins and setups that can no longer finish, spent passkey challenges, OpenID
    Connect sign-ins and one-time codes past their life, and counts
    of failed credential checks that no longer affect a limit."""

    help = (
        "Deletes sessions that no refresh token can use any more (expired, idle or revoked), "
        "two-factor logins waiting for a code that expired or ended, TOTP setups never confirmed, and "
        "used or expired passkey challenges, expired OpenID Connect sign-ins and one-time codes."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=FLUSH_BATCH_SIZE,
            help=f"Sessions deleted per statement, each in its own transaction (default {FLUSH_BATCH_SIZE}).",
        )

    def handle(self, *args, batch_size: int, **kwargs) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        sessions = tokens_flush_expired(batch_size=batch_size)
        self.stdout.write(f"Deleted {sessions} ended sessions.")
        mfa_rows = mfa_flush_expired()
        self.stdout.write(f"Deleted {mfa_rows} expired two-factor logins and setups.")
        challenges = passkey_challenges_flush()
        self.stdout.write(f"Deleted {challenges} used or expired passkey challenges.")
        sign_ins = oidc_flush_expired()
        self.stdout.write(f"Deleted {sign_ins} expired OpenID Connect sign-ins and one-time codes.")
        counts = counters.flush_expired()
        self.stdout.write(f"Deleted {counts} expired limit counts.")
        events = security_log.flush_expired()
        self.stdout.write(f"Deleted {events} security events past SECURITY_EVENT_RETENTION.")
        proofs = replay.flush_expired()
        self.stdout.write(f"Deleted {proofs} records of DPoP proofs past DPOP_PROOF_MAX_AGE.")
        messages = outbox.flush_sent()
        self.stdout.write(f"Deleted {messages} sent or given-up messages past OUTBOX_RETENTION.")
