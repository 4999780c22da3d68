"""Editors register partners' endpoints and read the delivery log in the admin; nobody else
of the desk does."""

from django.urls import reverse

from webhooks.models import Delivery, Endpoint


def test_an_editor_registers_an_endpoint_and_sees_its_secret(client_for, staff):
    editor = client_for(staff("Editor"))
    response = editor.post(
        reverse("admin:webhooks_endpoint_add"),
        {
            "name": "News partner",
            "url": "https://partner.example/hooks",
            "is_active": "on",
            "on_published": "on",
            "on_unpublished": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors
    endpoint = Endpoint.objects.get()
    assert (endpoint.on_published, endpoint.on_updated, endpoint.on_unpublished) == (
        True, False, True,
    )  # fmt: skip
    assert endpoint.created_by.groups.get().name == "Editor"
    page = editor.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in page.content.decode()


def test_the_endpoints_speak_japanese_to_a_japanese_editor(client_for, staff):
    page = client_for(staff("Editor"), "ja").get(reverse("admin:webhooks_endpoint_add"))
    content = page.content.decode()
    assert "Webhook送信先" in content and "公開中の論考の変更時" in content


def test_an_address_that_is_not_http_is_refused(client_for, staff):
    editor = client_for(staff("Editor"))
    response = editor.post(
        reverse("admin:webhooks_endpoint_add"),
        {"name": "Odd", "url": "ftp://partner.example/hooks", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert not Endpoint.objects.exists()


def test_writers_and_translators_have_no_webhooks(client_for, staff):
    for role in ("Writer", "Translator"):
        client = client_for(staff(role))
        for name in ("admin:webhooks_endpoint_changelist", "admin:webhooks_delivery_changelist"):
            assert client.get(reverse(name)).status_code == 403


def test_the_delivery_log_lists_each_delivery_and_sends_a_failed_one_again(
    client_for, staff, article, now, django_capture_on_commit_callbacks
):
    endpoint = Endpoint.objects.create(name="Partner", url="http://127.0.0.1:9/hooks")
    failed = Delivery.objects.create(
        endpoint=endpoint, event="commentary.unpublished", article_id=article.pk,
        key="unpublished:1", due_at=now, next_attempt_at=now, state="failed", attempts=8,
        last_status=500, payload={"id": article.pk, "url": "/"},
    )  # fmt: skip
    editor = client_for(staff("Editor"))
    log = editor.get(reverse("admin:webhooks_delivery_changelist"))
    assert log.status_code == 200
    assert "commentary no longer public" in log.content.decode()
    assert editor.get(reverse("admin:webhooks_delivery_add")).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("admin:webhooks_delivery_changelist"),
            {"action": "send_again", "_selected_action": [str(failed.pk)]},
            follow=True,
        )
    assert "1 failed delivery will be sent again." in response.content.decode()
    failed.refresh_from_db()
    # Tried once more at once (the address refuses: a try to come, 1 minute later).
    assert (failed.state, failed.attempts) == ("pending", 1)
