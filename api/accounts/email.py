"""Account mail: messages built from templates, for the outbox (`api.core.outbox.enqueue`), which
stores them in the transaction of the change that sends them and delivers them after it commits.

Why not in the request: a request for a known address must not answer later than one for an
unknown address, and an SMTP exchange takes from milliseconds to `EMAIL_TIMEOUT`. So the request
does the same work either way (the same query, a message rendered), and the SMTP exchange happens
after the answer, in the sender. A failed delivery is retried, then logged, never raised: the
client already has its answer. `ACCOUNT_EMAIL_BACKGROUND` off delivers within the request
instead (tests).
"""

from django.template.loader import render_to_string

from api.core import outbox


def build(*, kind: str, template: str, user, link: str, context: dict, to: str | None = None) -> outbox.Mail:
    """Render `api/email/<template>_subject.txt`, `.txt` and `.html` for `user` into a message.

    The templates are found by Django's normal lookup, so a project overrides them by placing
    its own under the same names earlier in `TEMPLATES`.
    """
    context = {"user": user, "link": link, **context}
    # One line: a header cannot hold a line break.
    subject = " ".join(render_to_string(f"api/email/{template}_subject.txt", context).split())
    return outbox.Mail(
        kind=kind,
        user_id=user.pk,
        to=to or user.email,
        subject=subject,
        body=render_to_string(f"api/email/{template}.txt", context),
        html=render_to_string(f"api/email/{template}.html", context),
    )
