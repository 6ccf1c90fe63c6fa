"""A certificate as an Open Badges 3.0 credential: the shape 1EdTech's JSON schema asks for, a
VC-JWT signature anyone verifies with the key in the published issuer profile, and a status in
the published revocation list that follows suspension and revocation. Everything is fetched
through the public addresses, as a verifier would."""

import hashlib
import json
from pathlib import Path

from django.urls import reverse

import jwt
import pytest
from jsonschema import Draft201909Validator, FormatChecker

from cohorts import credentials
from cohorts.models import Certificate
from cohorts.services.certificates import certificate_name_show, certificate_revoke
from cohorts.services.lessons import lesson_complete, lesson_uncomplete

from .factories import CohortFactory, EnrolmentFactory, complete, facilitator, lessons_of

pytestmark = pytest.mark.django_db
SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "ob_v3p0_achievementcredential_schema.json").read_text()
)
REGISTERED_CLAIMS = {"iss", "jti", "nbf", "iat"}


@pytest.fixture
def certificate(course_page, django_capture_on_commit_callbacks):
    cohort = CohortFactory(course=course_page, name="Cohort 11")
    enrolment = EnrolmentFactory(
        cohort=cohort, user__display_name="Aisha Rahman", user__email="aisha@example.org"
    )
    lessons = lessons_of(course_page)
    complete(enrolment, lessons[:-1])
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=enrolment.user, lesson=lessons[-1])
    return Certificate.objects.get(enrolment=enrolment)


def fetched(client, name: str, *args) -> dict:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def verified(client, document: dict) -> dict:
    """The claims of the document's VC-JWT, checked with the key the issuer publishes under the
    JWT's ``kid``; and the claims are the document itself."""
    token = document["proof"]["jwt"]
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    profile = fetched(client, "certificate_issuer")
    assert header["kid"].startswith(profile["id"] + "#")
    (method,) = [m for m in profile["verificationMethod"] if m["id"] == header["kid"]]
    key = jwt.PyJWK(method["publicKeyJwk"])
    claims = jwt.decode(token, key=key, algorithms=["EdDSA"], options={"verify_aud": False})
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    assert {k: v for k, v in claims.items() if k not in REGISTERED_CLAIMS} == unsigned
    assert claims["iss"] == profile["id"] and claims["jti"] == document["id"]
    return claims


def test_the_credential_has_the_open_badges_shape(certificate, client):
    document = fetched(client, "certificate_credential", certificate.code)
    errors = sorted(
        Draft201909Validator(SCHEMA, format_checker=FormatChecker()).iter_errors(document),
        key=str,
    )
    assert errors == []
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = document["credentialSubject"]
    assert subject["achievement"]["name"] == "Leading across boundaries"
    assert subject["term"] == "Cohort 11"
    assert {"type": "IdentityObject", "identityType": "name", "hashed": False,
            "identityHash": "Aisha Rahman"} in subject["identifier"]  # fmt: skip
    assert document["credentialSchema"][0]["id"] == SCHEMA["$id"]


def test_the_signature_verifies_with_the_published_key_and_fails_when_changed(certificate, client):
    document = fetched(client, "certificate_credential", certificate.code)
    verified(client, document)

    header, payload, signature = document["proof"]["jwt"].split(".")
    forged = json.loads(jwt.utils.base64url_decode(payload))
    forged["credentialSubject"]["term"] = "Cohort 99"
    forged_payload = jwt.utils.base64url_encode(json.dumps(forged).encode()).decode()
    key = jwt.PyJWK(fetched(client, "certificate_issuer")["keys"][0])
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(f"{header}.{forged_payload}.{signature}", key=key, algorithms=["EdDSA"])


def test_the_holder_can_prove_the_credential_is_theirs_by_their_email(certificate, client):
    document = fetched(client, "certificate_credential", certificate.code)
    (email,) = [
        i
        for i in document["credentialSubject"]["identifier"]
        if i["identityType"] == "emailAddress"
    ]
    expected = hashlib.sha256(("aisha@example.org" + email["salt"]).encode()).hexdigest()
    assert email["hashed"] is True and email["identityHash"] == f"sha256${expected}"


def test_a_hidden_name_leaves_the_name_out_of_a_still_valid_credential(certificate, client):
    certificate_name_show(user=certificate.enrolment.user, certificate=certificate, shown=False)
    document = fetched(client, "certificate_credential", certificate.code)
    assert "Aisha Rahman" not in json.dumps(document)
    types = [i["identityType"] for i in document["credentialSubject"]["identifier"]]
    assert types == ["emailAddress"]
    assert list(Draft201909Validator(SCHEMA).iter_errors(document)) == []
    verified(client, document)


def status_of(client, document: dict) -> bool:
    """Whether the credential's entry is set in the list it points to (the list's own
    signature checked too)."""
    entry = document["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListCredential"] == "http://127.0.0.1:8000" + reverse(
        "certificate_status_list"
    )
    status_list = fetched(client, "certificate_status_list")
    verified(client, status_list)
    subject = status_list["credentialSubject"]
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert subject["statusPurpose"] == "revocation"
    return credentials.is_marked(subject["encodedList"], int(entry["statusListIndex"]))


def test_the_status_list_says_valid_then_revoked(certificate, client):
    document = fetched(client, "certificate_credential", certificate.code)
    assert status_of(client, document) is False
    certificate_revoke(certificate=certificate, by=facilitator(), reason="Issued in error.")
    assert status_of(client, document) is True
    # The revoked certificate's credential is still served, pointing at the same entry.
    again = fetched(client, "certificate_credential", certificate.code)
    assert again["credentialStatus"] == document["credentialStatus"]


def test_suspension_marks_the_issue_and_reinstatement_is_a_new_unmarked_issue(
    certificate, client, course_page, django_capture_on_commit_callbacks
):
    first = fetched(client, "certificate_credential", certificate.code)
    user, last = certificate.enrolment.user, lessons_of(course_page)[-1]
    lesson_uncomplete(user=user, lesson=last)
    assert status_of(client, first) is True

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=user, lesson=last)
    second = fetched(client, "certificate_credential", certificate.code)
    assert second["id"] == first["id"]
    assert (
        second["credentialStatus"]["statusListIndex"]
        != first["credentialStatus"]["statusListIndex"]
    )
    assert status_of(client, second) is False
    assert status_of(client, first) is True  # the old issue stays marked


def test_the_list_is_at_least_131072_entries_and_grows_past_them():
    encoded = credentials.encoded_list([3, 200_000])
    assert credentials.is_marked(encoded, 3) and credentials.is_marked(encoded, 200_000)
    assert not credentials.is_marked(encoded, 4)
    assert credentials.is_marked(credentials.encoded_list([]), 131_071) is False


def test_the_key_id_is_stable_for_the_same_key(client):
    first = fetched(client, "certificate_issuer")
    assert first == fetched(client, "certificate_issuer")
    (jwk,) = first["keys"]
    assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("OKP", "Ed25519", "EdDSA")
    assert "d" not in jwk  # the public half only


@pytest.mark.parametrize("key", ["", "not-a-key"])
def test_without_a_signing_key_the_signed_documents_answer_503_and_the_check_says_why(
    key, certificate, client, settings
):
    from cohorts.checks import credential_key_check

    settings.ACADEMY_CREDENTIAL_KEY = key
    for url in (
        reverse("certificate_credential", args=[certificate.code]),
        reverse("certificate_issuer"),
        reverse("certificate_status_list"),
    ):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response.json() == {
            "error": "Credentials cannot be signed at the moment. Try again later."
        }
        # Kept by no cache: the documents are back as soon as the key is.
        cache = response["Cache-Control"]
        assert "no-store" in cache and "public" not in cache and "max-age" not in cache, url
    [error] = credential_key_check()
    assert error.id == "cohorts.E001"
    assert "ACADEMY_CREDENTIAL_KEY must" in error.msg
    # The page a person reads needs no key.
    assert client.get(reverse("certificate_verify", args=[certificate.code])).status_code == 200


def test_the_issuer_and_the_revocation_list_may_be_cached_publicly(db, client):
    issuer = client.get(reverse("certificate_issuer"))
    listed = client.get(reverse("certificate_status_list"))
    assert (issuer.status_code, listed.status_code) == (200, 200)
    assert set(issuer["Cache-Control"].split(", ")) == {"public", "max-age=3600"}
    assert set(listed["Cache-Control"].split(", ")) == {"public", "max-age=60"}
