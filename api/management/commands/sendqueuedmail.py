import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from api.core import outbox


class Command(BaseCommand):
    """A separate mail worker: delivers the outbox's due messages, as each server process's own
    sender does (api/core/outbox.py); any number may run beside them."""

    help = "Delivers queued mail that is due, with retries; --once for one round, else until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Deliver what is due now, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=outbox.POLL_SECONDS,
            help=f"Seconds between rounds (default {outbox.POLL_SECONDS:g}).",
        )

    def handle(self, *args, once: bool, interval: float, **kwargs) -> None:
        if interval <= 0:
            raise CommandError("--interval must be more than 0.")
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        while True:
            sent = outbox.deliver_due()
            if sent or once:
                self.stdout.write(f"Sent {sent} messages.")
            if once or stop.wait(interval):
                return
