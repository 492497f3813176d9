"""Runs the test provider: `python -m api.tests.oidc_provider.serve CLIENT_ID SECRET REDIRECT_URI`.

Migrates a fresh SQLite file, registers one confidential client (PKCE required for every client),
binds a free port of 127.0.0.1, sets the issuer to `http://127.0.0.1:<port>/o`, prints the port
on a line of its own and serves until killed."""

import os
import sys
import tempfile
from wsgiref.simple_server import WSGIRequestHandler


def main() -> None:
    client_id, secret, redirect_uri = sys.argv[1:4]
    directory = tempfile.mkdtemp(prefix="oidc-provider-")
    os.environ["OIDC_PROVIDER_DB"] = os.path.join(directory, "db.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "api.tests.oidc_provider.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, get_internal_wsgi_application
    from oauth2_provider.models import get_application_model
    from oauth2_provider.settings import oauth2_settings

    call_command("migrate", verbosity=0)
    application = get_application_model()
    application.objects.create(
        name="notes",
        client_id=client_id,
        client_secret=secret,
        client_type=application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=application.RS256_ALGORITHM,
        skip_authorization=True,
    )

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.daemon_threads = True
    server.set_app(get_internal_wsgi_application())
    port = server.server_address[1]
    oauth2_settings.OIDC_ISS_ENDPOINT = f"http://127.0.0.1:{port}/o"
    print(port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
