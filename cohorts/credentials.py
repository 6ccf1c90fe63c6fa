"""Certificates as Open Badges 3.0 credentials, signed with the academy's Ed25519 key
(``ACADEMY_CREDENTIAL_KEY``), and the public documents a verifier needs: the issuer's profile
with its public key, and the revocation list. docs/decisions.md §39 says why it is built so.

- The credential is an ``OpenBadgeCredential`` shaped by 1EdTech's JSON schema for OB 3.0
  (``credentialSchema`` names it). It is secured as a VC-JWT: a compact JWS (``alg`` EdDSA,
  ``kid`` the key's address in the issuer's profile) whose payload is the credential itself
  with the JWT claims ``iss``, ``jti``, ``nbf`` and ``iat``. The ``.json`` address serves the
  credential with that JWT in its ``proof`` (``JwtProof2020``): readable as it is, and
  verifiable by checking the JWT with the published key and comparing its payload.
- Its ``credentialStatus`` is a ``BitstringStatusListEntry`` (purpose ``revocation``) in the
  list at ``/certificates/status/revocation.json``, a ``BitstringStatusListCredential`` signed
  the same way. Each issue of a certificate has its own index (``CertificateIssue.pk``); the
  bit is set for every issue that is not the current issue of a valid certificate: revoked,
  suspended, superseded by a reinstatement, or erased with its holder's account.
- The holder is named by an ``IdentityObject`` of type ``name`` unless they hide their name,
  and always by a salted SHA-256 hash of their email address, so that they can prove the
  credential is theirs without it saying who they are.

Everything here is built from the database when asked, so a revocation or a hidden name shows
at once; signing takes a fraction of a millisecond."""

import base64
import functools
import gzip
import hashlib
import json
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .models import Certificate, CertificateIssue

ACADEMY = "Collaborative Leadership Academy"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
# A list of at least 131,072 entries (16 KB), as the Bitstring Status List asks, so that the
# list's size tells nobody how many certificates there are.
STATUS_LIST_BITS = 131_072
CRITERIA = (
    "Complete every required lesson and pass every required assessment of the course, "
    "taking part in a cohort of the Collaborative Leadership Academy."
)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.lru_cache(maxsize=4)
def _load_key(value: str) -> Ed25519PrivateKey:
    value = value.strip()
    try:
        if value.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(value.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(
                base64.urlsafe_b64decode(value.replace("+", "-").replace("/", "_") + "==")
            )
    except ValueError as error:
        raise ImproperlyConfigured(
            "ACADEMY_CREDENTIAL_KEY must be an Ed25519 private key: PEM (PKCS#8), or its 32 "
            "bytes in base64"
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("ACADEMY_CREDENTIAL_KEY must be an Ed25519 key")
    return key


def signing_key() -> Ed25519PrivateKey:
    if not settings.ACADEMY_CREDENTIAL_KEY:
        raise ImproperlyConfigured("ACADEMY_CREDENTIAL_KEY is not set")
    return _load_key(settings.ACADEMY_CREDENTIAL_KEY)


def public_jwk() -> dict:
    """The public key as a JWK, its ``kid`` the RFC 7638 thumbprint (the same for the same
    key, whatever the deploy)."""
    raw = (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    thumbprint = _b64url(
        hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest()
    )
    return {**jwk, "kid": thumbprint, "alg": "EdDSA", "use": "sig"}


def issuer_url() -> str:
    return f"{settings.SITE_URL}{reverse('certificate_issuer')}"


def status_list_url() -> str:
    return f"{settings.SITE_URL}{reverse('certificate_status_list')}"


def key_id() -> str:
    return f"{issuer_url()}#{public_jwk()['kid']}"


def sign(payload: dict) -> str:
    """A compact JWS of ``payload``, signed with the academy's key."""
    return jwt.encode(
        payload, signing_key(), algorithm="EdDSA", headers={"kid": key_id(), "typ": "JWT"}
    )


def _secured(document: dict, *, issued: datetime, now: datetime) -> dict:
    """``document`` with its VC-JWT in a ``proof``: the JWT's payload is the document with the
    registered claims beside it."""
    claims = {
        **document,
        "iss": issuer_url(),
        "jti": document["id"],
        "nbf": int(issued.timestamp()),
        "iat": int(now.timestamp()),
    }
    return {**document, "proof": {"type": "JwtProof2020", "jwt": sign(claims)}}


def issuer_profile() -> dict:
    """The issuer's OB 3.0 ``Profile``, with the public key that verifies its credentials."""
    url = issuer_url()
    jwk = public_jwk()
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": url,
        "type": ["Profile"],
        "name": ACADEMY,
        "url": f"{settings.SITE_URL}/",
        "description": (
            "Develops leadership across the public sector: managers from councils, the NHS, "
            "police, fire and rescue, central government, housing and the voluntary sector "
            "learning together in cohorts."
        ),
        "verificationMethod": [
            {"id": f"{url}#{jwk['kid']}", "type": "JsonWebKey", "controller": url,
             "publicKeyJwk": jwk}
        ],
        # The same key as a JSON Web Key Set, for JWT libraries.
        "keys": [jwk],
    }  # fmt: skip


def _email_hash(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256(f"{email.strip().lower()}{salt}".encode()).hexdigest()


def current_issue(certificate: Certificate) -> CertificateIssue:
    return certificate.issues.get(number=certificate.issue_number)


def credential(certificate: Certificate, issue: CertificateIssue) -> dict:
    """The certificate as an unsigned ``OpenBadgeCredential``. Reads the enrolment, its user,
    cohort and course."""
    enrolment = certificate.enrolment
    cohort, course, user = enrolment.cohort, enrolment.cohort.course, enrolment.user
    site = settings.SITE_URL
    address = f"{site}{reverse('certificate_credential', args=[certificate.code])}"
    identifiers = []
    if certificate.holder_name:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.holder_name,
            }
        )
    identifiers.append(
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": _email_hash(user.email, certificate.code),
            "salt": certificate.code,
        }
    )
    issued = certificate.issued_at or certificate.completed_at
    status_index = str(issue.pk)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": address,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Certificate of completion: {course.title}",
        "description": f"Completed {course.title} with {cohort.name} of the {ACADEMY}.",
        "issuer": {"id": issuer_url(), "type": ["Profile"], "name": ACADEMY, "url": f"{site}/"},
        "validFrom": _iso(issued),
        # The JSON schema of OB 3.0 asks for the VC 1.1 name of the same date as well.
        "issuanceDate": _iso(issued),
        "awardedDate": _iso(certificate.completed_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "term": cohort.name,
            "activityStartDate": f"{cohort.start_date.isoformat()}T00:00:00Z",
            "activityEndDate": f"{cohort.end_date.isoformat()}T00:00:00Z",
            "achievement": {
                "id": f"{site}{course.url or '/courses/'}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": course.title,
                "description": course.search_description or f"The course {course.title}.",
                "criteria": {"narrative": CRITERIA},
            },
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": status_index,
            "statusListCredential": status_list_url(),
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def signed_credential(certificate: Certificate, *, now=None) -> dict:
    """The credential with its VC-JWT proof (``_secured``)."""
    now = now or timezone.now()
    document = credential(certificate, current_issue(certificate))
    return _secured(document, issued=certificate.issued_at or now, now=now)


def marked_indexes() -> list[int]:
    """The indexes set in the revocation list: every issue but the current issue of a pending
    or valid certificate."""
    return list(
        CertificateIssue.objects.exclude(
            certificate__status__in=(Certificate.Status.PENDING, Certificate.Status.ISSUED),
            number=F("certificate__issue_number"),
        ).values_list("pk", flat=True)
    )


def encoded_list(indexes: list[int]) -> str:
    """The Bitstring Status List encoding: a bitstring (index 0 the left-most bit of the
    first byte) of at least ``STATUS_LIST_BITS`` bits, GZIP-compressed, base64url with a
    ``u`` multibase prefix."""
    size = STATUS_LIST_BITS
    while indexes and max(indexes) >= size:
        size += STATUS_LIST_BITS
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + _b64url(gzip.compress(bytes(bits), mtime=0))


def is_marked(encoded: str, index: int) -> bool:
    """Whether ``index`` is set in an ``encodedList`` (how a verifier reads it)."""
    data = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list(*, now=None) -> dict:
    """The revocation list as a signed ``BitstringStatusListCredential``."""
    now = now or timezone.now()
    url = status_list_url()
    document = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url(),
        "validFrom": _iso(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(marked_indexes()),
        },
    }
    return _secured(document, issued=now, now=now)
