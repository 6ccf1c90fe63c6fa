"""Personal data held by the academy's own models and by the libraries it is built on
(Django, allauth, Wagtail). Later apps register theirs in their own ``privacy_rules.py``."""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model

from wagtail.admin.models import EditingSession, FormState
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Comment,
    CommentReply,
    ModelLogEntry,
    Page,
    PageLogEntry,
    PageSubscription,
    Revision,
    TaskState,
    UploadedFile,
    WorkflowState,
)
from wagtail.users.models import UserProfile

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator

from . import privacy
from .models import NotificationPreference, OutboxEmail
from .privacy import ANONYMISE, DELETE, clear_user_fields, export_values

try:  # Wagtail 7.1+
    from wagtail.models import APIToken
except ImportError:  # pragma: no cover
    APIToken = None


def _export_user(rows):
    return [
        {
            "email": user.email,
            "name": user.display_name,
            "job_title": user.job_title,
            "organisation": user.organisation.name if user.organisation else None,
            "sector": user.sector.name if user.sector else None,
            "place": str(user.place) if user.place else None,
            "roles": sorted(group.name for group in user.groups.all()),
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        }
        for user in rows.select_related("organisation", "sector", "place").prefetch_related(
            "groups"
        )
    ]


def _erase_comments(user, rows):
    """Delete the person's own comments (and the replies under them); a comment someone else
    wrote and they resolved stays, no longer saying who resolved it."""
    Comment.objects.filter(resolved_by=user).exclude(user=user).update(resolved_by=None)
    Comment.objects.filter(user=user).delete()


def _export_comments(rows, user):
    """Their own comments in full; of others' comments they resolved, only where and when."""
    own = list(rows.filter(user=user).values("page__title", "text", "created_at"))
    resolved = list(
        rows.filter(resolved_by=user).exclude(user=user).values("page__title", "resolved_at")
    )
    return [*own, *({"comment_you_resolved": row} for row in resolved)]


def _export_comment_replies(rows, user):
    """Their own replies in full; of the replies others wrote under their comments, only when
    (the words are the other person's)."""
    own = list(rows.filter(user=user).values("comment__page__title", "text", "created_at"))
    others = list(
        rows.filter(comment__user=user)
        .exclude(user=user)
        .values("comment__page__title", "created_at")
    )
    return [*own, *({"reply_to_your_comment": row} for row in others)]


def _export_authenticators(rows):
    # The kind of second factor and when it was last used; never the secret itself.
    return list(rows.values("type", "created_at", "last_used_at"))


privacy.register(
    get_user_model(),
    user_fields=(),
    export=_export_user,
    erase=DELETE,
    description="Your account and profile.",
)
privacy.register(
    EmailAddress,
    user_fields=("user",),
    export=export_values("email", "verified", "primary"),
    description="Email addresses on your account.",
)
privacy.register(
    EmailConfirmation,
    user_fields=("email_address__user",),
    export=export_values("email_address__email", "created", "sent"),
    description="Confirmation emails sent to your addresses (the secret key is not exported).",
)
privacy.register(
    Authenticator,
    user_fields=("user",),
    export=_export_authenticators,
    description="Second factors (authenticator apps, recovery codes, security keys).",
)
privacy.register(
    UserProfile,
    user_fields=("user",),
    export=export_values("preferred_language", "current_time_zone", "theme"),
    description="Your preferences in the content management system.",
)
privacy.register(
    LogEntry,
    user_fields=("user",),
    export=export_values("action_time", "object_repr", "change_message"),
    description="Changes you made in the Django admin.",
)
privacy.register(
    EditingSession,
    user_fields=("user",),
    export=export_values("last_seen_at"),
    description="Pages you had open for editing.",
)
privacy.register(
    FormState,
    user_fields=("user",),
    export=export_values("last_updated_at"),
    description="Unsaved editor form states.",
)
privacy.register(
    PageSubscription,
    user_fields=("user",),
    export=export_values("page__title", "comment_notifications"),
    description="Pages whose comments you are notified about.",
)
privacy.register(
    Comment,
    user_fields=("user", "resolved_by"),
    export=_export_comments,
    export_needs_user=True,
    erase=ANONYMISE,
    anonymise=_erase_comments,
    unlinks=("resolved_by",),
    description="Editorial comments you wrote or resolved in the content management system.",
)
privacy.register(
    CommentReply,
    user_fields=("user", "comment__user"),
    export=_export_comment_replies,
    export_needs_user=True,
    description="Your replies to editorial comments, and when others replied to yours.",
)
for model, fields, exported, description in [
    (Page, ("owner", "locked_by"), ("title", "url_path"), "Pages you created or locked."),
    (Revision, ("user",), ("object_str", "created_at"), "Revisions you saved."),
    (WorkflowState, ("requested_by",), ("object_id", "status", "created_at"), "Submissions."),
    (TaskState, ("finished_by",), ("status", "finished_at", "comment"), "Moderation decisions."),
    (PageLogEntry, ("user",), ("label", "action", "timestamp"), "Your actions on pages."),
    (ModelLogEntry, ("user",), ("label", "action", "timestamp"), "Your actions on snippets."),
    (get_image_model(), ("uploaded_by_user",), ("title", "created_at"), "Images you uploaded."),
    (get_document_model(), ("uploaded_by_user",), ("title", "created_at"), "Documents."),
]:
    # Content belongs to the academy and stays; only the link to the person is cleared.
    privacy.register(
        model,
        user_fields=fields,
        export=export_values(*exported),
        erase=ANONYMISE,
        anonymise=clear_user_fields(*fields),
        description=description,
    )
privacy.register(
    UploadedFile,
    user_fields=("uploaded_by_user",),
    export=export_values("file"),
    erase=DELETE,  # and its file: an upload not yet made an image or document is the person's
    description="Files you started to upload but did not finish adding as images or documents.",
)
if APIToken is not None:
    privacy.register(
        APIToken,
        user_fields=("user",),
        export=export_values("name", "created", "last_used_at"),
        description="API tokens you created.",
    )
privacy.register(
    OutboxEmail,
    user_fields=("user",),
    export=export_values("kind", "subject", "status", "created_at", "sent_at"),
    erase=DELETE,
    description="Emails we have sent you or are about to send (their subjects, not their text).",
)
privacy.register(
    NotificationPreference,
    user_fields=("user",),
    export=export_values("kind", "enabled", "delivery", "updated_at"),
    erase=DELETE,
    description="Your choices about which emails you receive.",
)
