from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Plain-English messages for allauth's errors, in the GOV.UK style (say what to do)."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": "An account already exists with this email address. Sign in, or reset "
        "your password if you have forgotten it.",
        "email_password_mismatch": "The email address and password do not match an account",
        "too_many_login_attempts": "Too many failed attempts to sign in. Wait 5 minutes and try "
        "again, or reset your password.",
        "enter_current_password": "Enter your current password",
        "incorrect_password": "The password is not correct",
    }
