from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from deskwise.core.forms import DeskForm, EmailField, Jinja2FormRenderer


class SignInForm(AuthenticationForm):
    default_renderer = Jinja2FormRenderer
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username or email and password do not match. Check them and try "
        "again, or get a sign-in link by email below.",
    }
    username = forms.CharField(
        label="Username or email",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class LoginLinkForm(DeskForm):
    email = EmailField(label="Your email address")
