"""Login throttling (django-axes): wrong passwords lock the account and the address for a
while, cheaply, with a clear message; an admin can unlock."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
LIMIT = 5


def attempt(username, password, address="192.0.2.1", language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    response.logged_in = "_auth_user_id" in client.session
    return response


@pytest.fixture
def victim(django_user_model):
    return django_user_model.objects.create_user("victim", password="right", is_staff=True)


@pytest.fixture
def hashing(monkeypatch):
    """Counts the passwords hashed (the real hasher still does the work)."""
    calls = []
    encode = MD5PasswordHasher.encode

    def counting(self, *args, **kwargs):
        calls.append(1)
        return encode(self, *args, **kwargs)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    return calls


def test_the_right_password_works_before_the_limit(victim):
    for _ in range(LIMIT - 1):
        assert not attempt("victim", "wrong").logged_in
    assert attempt("victim", "right").logged_in


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Too many failed logins"), ("ja", "ログイン失敗が多すぎるため")],
)
def test_after_n_wrong_passwords_the_right_one_is_refused_with_a_message(victim, language, message):
    statuses = [attempt("victim", "wrong", language=language).status_code for _ in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]  # the last failure locks at once
    response = attempt("victim", "right", language=language)
    assert not response.logged_in
    assertContains(response, message, status_code=429)
    assertContains(response, "15", status_code=429)


def test_an_account_is_locked_whatever_the_address(victim):
    for number in range(LIMIT):
        attempt("victim", "wrong", address=f"198.51.100.{number}")
    assert attempt("victim", "right", address="203.0.113.9").status_code == 429


def test_an_address_is_locked_whatever_the_account(victim):
    for number in range(LIMIT):
        attempt(f"guess{number}", "wrong", address="192.0.2.66")
    assert attempt("victim", "right", address="192.0.2.66").status_code == 429
    assert attempt("victim", "right", address="192.0.2.67").logged_in


def test_a_locked_out_attempt_hashes_no_password(victim, hashing):
    for _ in range(LIMIT):
        attempt("victim", "wrong")
    assert hashing  # wrong passwords were checked...
    hashing.clear()
    for _ in range(20):
        assert attempt("victim", "right").status_code == 429
    assert hashing == []  # ...refusals are not


def test_a_forged_forwarded_address_does_not_escape_the_lock(victim):
    for number in range(LIMIT):
        Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}").post(
            LOGIN, {"username": f"guess{number}", "password": "wrong"}
        )
    client = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
    response = client.post(LOGIN, {"username": "victim", "password": "right"})
    assert response.status_code == 429


def test_an_admin_unlocks_an_account(victim, superuser, client_for):
    editor_client = client_for(superuser)  # the throttle's records are the superuser's
    for _ in range(LIMIT):
        attempt("victim", "wrong")
    assert attempt("victim", "right").status_code == 429
    attempts = reverse("admin:axes_accessattempt_changelist")
    assertContains(editor_client.get(attempts), "victim")
    selected = list(AccessAttempt.objects.values_list("pk", flat=True))
    editor_client.post(
        attempts, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    )
    assert attempt("victim", "right").logged_in
