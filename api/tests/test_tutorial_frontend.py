"""The tutorial's React frontend, request for request: it must keep working unchanged (Tech With
Tim's "Django & React Tutorial - Full Stack Web App", github.com/techwithtim/Django-React-Full-Stack-App).

It registers with `{username, password}`, logs in, keeps `access` and `refresh` in localStorage,
attaches `Bearer <access>` to every request (registration included), refreshes with `{refresh}`
when `exp` has passed and keeps only the new `access`, lists notes with `notes.map(...)`, creates
with `{content, title}` expecting 201 and deletes at `/api/notes/delete/<id>/` expecting 204.
"""

import time
from datetime import timedelta

import jwt
import pytest
import time_machine
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

# As a user of the tutorial's sign-up form would type one: long enough for PASSWORD_MIN_LENGTH.
TUTORIAL_PASSWORD = "Sup3r-secret-and-long!"


class TutorialFrontend:
    """The browser side: localStorage plus the Axios instance with its request interceptor."""

    def __init__(self):
        self.local_storage: dict[str, str] = {}

    def request(self, method: str, path: str, body=None):
        client = APIClient()
        if token := self.local_storage.get("access"):
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return getattr(client, method)(path, body, format="json")

    def ensure_fresh_access(self) -> bool:
        """ProtectedRoute: refresh when the stored access token's `exp` has passed."""
        claims = jwt.decode(self.local_storage["access"], options={"verify_signature": False})
        if claims["exp"] > time.time():
            return True
        response = self.request("post", "/api/token/refresh/", {"refresh": self.local_storage["refresh"]})
        if response.status_code != 200:
            return False
        self.local_storage["access"] = response.json()["access"]
        return True


def test_tutorial_flows_register_login_list_create_delete():
    app = TutorialFrontend()
    app.local_storage["access"] = "stale-token-from-an-earlier-visit"

    assert (
        app.request(
            "post", "/api/user/register/", {"username": "tim", "password": TUTORIAL_PASSWORD}
        ).status_code
        == 201
    )

    login = app.request("post", "/api/token/", {"username": "tim", "password": TUTORIAL_PASSWORD})
    assert login.status_code == 200
    app.local_storage.update(access=login.json()["access"], refresh=login.json()["refresh"])

    created = app.request("post", "/api/notes/", {"content": "Body", "title": "Title"})
    assert created.status_code == 201

    notes = app.request("get", "/api/notes/").json()
    assert [(n["title"], n["content"]) for n in notes] == [("Title", "Body")]
    assert "created_at" in notes[0]

    assert app.request("delete", f"/api/notes/delete/{notes[0]['id']}/").status_code == 204
    assert app.request("get", "/api/notes/").json() == []


@pytest.mark.parametrize("rotate", [False, True])
def test_tutorial_refresh_flow_with_and_without_rotation(settings, rotate):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ROTATE_REFRESH_TOKENS": rotate}
    app = TutorialFrontend()
    app.request("post", "/api/user/register/", {"username": "tim", "password": TUTORIAL_PASSWORD})
    app.local_storage.update(
        app.request("post", "/api/token/", {"username": "tim", "password": TUTORIAL_PASSWORD}).json()
    )

    outcomes = []
    for visit in range(1, 4):
        # Each visit comes after the access token has expired and the grace window has passed.
        with time_machine.travel(timedelta(minutes=6 * visit)):
            outcomes.append(
                app.ensure_fresh_access() and app.request("get", "/api/notes/").status_code == 200
            )

    if not rotate:
        assert outcomes == [True, True, True]
    else:
        # The frontend keeps only `access`, so its second refresh replays a spent token: the
        # session is revoked and it shows its login page, as it does for any failed refresh.
        assert outcomes == [True, False, False]
