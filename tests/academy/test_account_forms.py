import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "labels"),
    [
        ("/accounts/signup/", ["Your name", "Email address", "Password", "Confirm password"]),
        ("/accounts/login/", ["Email address", "Password", "Keep me signed in on this device"]),
        ("/accounts/password/reset/", ["Email address"]),
    ],
)
def test_account_forms_use_plain_labels_and_no_placeholders(client, path, labels):
    html = client.get(path).content.decode()
    for label in labels:
        assert f">{label}" in html, label
    assert "placeholder=" not in html
    assert "Password (again)" not in html


def test_change_password_labels(signed_in_client):
    html = signed_in_client.get("/accounts/password/change/").content.decode()
    for label in ["Current password", "New password", "Confirm new password"]:
        assert f">{label}" in html, label
