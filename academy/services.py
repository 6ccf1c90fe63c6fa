"""Writes about people: profiles, organisations, personal-data export and account erasure."""

import json
import logging
import shutil
import tempfile
import zipfile
from functools import partial
from typing import IO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import privacy
from .models import Organisation, Place, Sector
from .names import clean_name

logger = logging.getLogger(__name__)


@transaction.atomic
def organisation_get_or_create(*, name: str, sector: Sector) -> Organisation:
    """The organisation with this name (case-insensitive), created in ``sector`` if new."""
    name = clean_name(
        name,
        subject="The organisation name",
        required_message="Enter the name of your organisation",
        field="new_organisation",
    )
    if len(name) > Organisation._meta.get_field("name").max_length:
        raise ValidationError(
            {"new_organisation": "The organisation name must be 200 characters or fewer"}
        )
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Organisation.objects.create(name=name, sector=sector)
    except IntegrityError:
        # Someone added the same organisation a moment ago: use theirs.
        return Organisation.objects.get(name__iexact=name)


@transaction.atomic
def profile_update(
    *,
    user,
    display_name: str,
    job_title: str,
    organisation: Organisation | None = None,
    new_organisation_name: str = "",
    sector: Sector | None = None,
    place: Place | None = None,
):
    """Save a person's profile. A new organisation is added in the chosen sector; the sector
    defaults from the organisation when none is chosen."""
    display_name = clean_name(
        display_name,
        subject="Your name",
        required_message="Enter your name",
        field="display_name",
    )
    job_title = clean_name(job_title, subject="Your job title", field="job_title")
    new_organisation_name = clean_name(
        new_organisation_name, subject="The organisation name", field="new_organisation"
    )
    if new_organisation_name:
        org_sector = sector or (organisation.sector if organisation else None)
        if org_sector is None:
            raise ValidationError(
                {"sector": "Choose the sector of the organisation you are adding"}
            )
        organisation = organisation_get_or_create(name=new_organisation_name, sector=org_sector)
    if sector is None and organisation is not None:
        sector = organisation.sector
    user.display_name = display_name
    user.job_title = job_title
    user.organisation = organisation
    user.sector = sector
    user.place = place
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "job_title", "organisation", "sector", "place"])
    return user


def personal_data_export(*, user) -> dict:
    """Everything the academy holds about a person, by model, as JSON-ready data."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "format": "collaborative-leadership-academy/personal-data/1",
        "records": {},
    }
    for rule in privacy.rules():
        data["records"][rule.label] = {
            "description": rule.description,
            "items": rule.export_rows(user),
        }
    return data


EXPORT_DOCUMENT = "personal-data.json"
# Kept in memory up to this size, then in a temporary file on disk.
EXPORT_SPOOL_BYTES = 8 * 1024 * 1024


def personal_data_archive(*, user) -> IO[bytes]:
    """The person's download: a zip holding ``personal-data.json`` (``personal_data_export``)
    and the files they uploaded that the registry exports (the files attached to their work),
    each at the path the JSON names for it (under ``files/``). A file missing from storage is
    listed under ``files_missing`` in the JSON instead of failing the download. Returned
    rewound, in memory while small and in a temporary file once large."""
    data = personal_data_export(user=user)
    out = tempfile.SpooledTemporaryFile(max_size=EXPORT_SPOOL_BYTES)  # noqa: SIM115 (returned)
    missing = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for rule in privacy.rules():
            for path, stored in rule.export_files(user):
                try:
                    source = stored.open("rb")
                except Exception:  # gone from storage: say so in the download, and go on
                    logger.exception("exported file missing", extra={"file": stored.name})
                    missing.append(path)
                    continue
                # Files are mostly compressed already (PDF, DOCX, PNG, JPEG): stored as they are.
                info = zipfile.ZipInfo(path, date_time=timezone.localtime().timetuple()[:6])
                info.compress_type = zipfile.ZIP_STORED
                with source, archive.open(info, "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
        if missing:
            data["files_missing"] = missing
        document = json.dumps(data, indent=2, default=str, ensure_ascii=False)
        archive.writestr(EXPORT_DOCUMENT, document)
    out.seek(0)
    return out


@transaction.atomic
def account_erase(*, user) -> None:
    """Erase a person: each registered rule deletes or anonymises their rows, then the user row
    itself is deleted. What remains (pages they edited, counts) identifies no one. The files the
    erased rows named are deleted from storage once this commits (never if it rolls back)."""
    user_id = user.pk
    files = [
        stored
        for rule in privacy.rules()
        for stored in privacy.stored_files(rule.rows_erased_with(user))
    ]
    for rule in privacy.rules():
        if rule.model is get_user_model():
            continue
        rows = rule.rows_for(user)
        if rule.erase == privacy.ANONYMISE:
            rule.anonymise(user, rows)
        else:
            rows.delete()
    get_user_model().objects.filter(pk=user_id).delete()
    transaction.on_commit(partial(privacy.delete_stored_files, files))
    logger.info("account erased", extra={"user_id": user_id, "files": len(files)})


def sessions_clear_expired() -> int:
    """Delete expired sign-in sessions; returns how many there were."""
    from django.contrib.sessions.models import Session

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
