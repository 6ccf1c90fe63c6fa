"""allauth's own forms, with labels in the academy's plain-English, sentence-case style.
Wired up through ACCOUNT_FORMS in settings."""

from allauth.account import forms as allauth_forms

LABELS = {
    "login": "Email address",
    "email": "Email address",
    "password": "Password",
    "oldpassword": "Current password",
    "remember": "Keep me signed in on this device",
}


class PlainLabelsMixin:
    new_password_labels = ("Password", "Confirm password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
        first, second = self.new_password_labels
        if "password1" in self.fields:
            self.fields["password1"].label = first
        if "password2" in self.fields:
            self.fields["password2"].label = second


class LoginForm(PlainLabelsMixin, allauth_forms.LoginForm):
    pass


class SignupForm(PlainLabelsMixin, allauth_forms.SignupForm):
    pass


class AddEmailForm(PlainLabelsMixin, allauth_forms.AddEmailForm):
    pass


class ChangePasswordForm(PlainLabelsMixin, allauth_forms.ChangePasswordForm):
    new_password_labels = ("New password", "Confirm new password")


class SetPasswordForm(PlainLabelsMixin, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordForm(PlainLabelsMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(PlainLabelsMixin, allauth_forms.ResetPasswordKeyForm):
    new_password_labels = ("New password", "Confirm new password")


class ReauthenticateForm(PlainLabelsMixin, allauth_forms.ReauthenticateForm):
    pass
