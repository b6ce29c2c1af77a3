"""Signing in and out: a password, or a one-time link sent by email."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from deskwise.accounts import services
from deskwise.accounts.forms import LoginLinkForm, SignInForm
from deskwise.core.errors import InvalidInput


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {**super().get_context_data(**kwargs), "link_form": LoginLinkForm()}


@login_not_required
@require_http_methods(["POST"])
def login_link_request(request: HttpRequest) -> HttpResponse:
    """Send a sign-in link; the answer is the same whether or not we know the address."""
    form = LoginLinkForm(request.POST)
    if form.is_valid():
        try:
            services.login_link_request(email=form.cleaned_data["email"])
        except InvalidInput as exc:
            form.add_error("email", exc.message)
        else:
            return render(request, "accounts/link_sent.html", {"email": form.cleaned_data["email"]})
    return render(
        request, "accounts/login.html", {"form": SignInForm(request), "link_form": form}, status=422
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def login_link_consume(request: HttpRequest, token: str) -> HttpResponse:
    """A GET only shows a button: mail scanners that open links must not spend them."""
    if request.method == "GET":
        return render(request, "accounts/link_confirm.html", {"token": token})
    user = services.login_link_consume(raw=token)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=400)
    login(request, user, backend="deskwise.accounts.backends.UsernameOrEmailBackend")
    return redirect("portal:home")


def home(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "is_agent", False):
        return redirect("tickets:queue")
    return redirect("portal:home")
