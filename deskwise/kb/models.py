"""The knowledge base: articles in Markdown, their versions, files, votes and
the requests they answered before a ticket was needed (deflections)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public: on the portal"
    INTERNAL = "internal", "Internal: agents only"


class Section(models.Model):
    """A shelf of articles (e.g. "Accounts and passwords")."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    body = models.TextField(help_text="Markdown.")
    # The body rendered and sanitised once, when it changes.
    body_html = models.TextField(blank=True, editable=False)
    summary = models.CharField(max_length=300, blank=True)
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    tags = models.JSONField(default=list, blank=True)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    is_tip = models.BooleanField(
        default=False, help_text="Offered as a short bonus tip when a ticket is resolved."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_at = models.DateField(
        null=True, blank=True, help_text="When to check it is still right."
    )
    # Where an imported page came from (its path in the imported folder).
    source_path = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    views = models.PositiveIntegerField(default=0)
    helpful = models.PositiveIntegerField(default=0)
    unhelpful = models.PositiveIntegerField(default=0)
    deflections = models.PositiveIntegerField(default=0)
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["visibility", "is_archived", "title"], name="article_browse"),
            models.Index(fields=["review_at"], name="article_review"),
            models.Index(fields=["source_path"], name="article_source"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kb:article", kwargs={"slug": self.slug})


class ArticleVersion(models.Model):
    """Every saved state of an article: who changed what, and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


def article_file_path(instance: ArticleFile, filename: str) -> str:
    return f"kb/{instance.article_id}/{uuid.uuid4().hex}/{filename}"


class ArticleFile(models.Model):
    """An image or attachment of an article (imported pages bring theirs)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=article_file_path, max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=127)
    size = models.PositiveBigIntegerField()
    # Lets a re-import recognise a file it already stored instead of copying it again.
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.filename

    @property
    def url(self) -> str:
        return reverse("kb:file", kwargs={"pk": self.pk, "name": self.filename})


class Vote(models.Model):
    """'Was this helpful?': one per person (signed in) or per browser session."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True)
    helpful = models.BooleanField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="vote_once_per_user",
                condition=models.Q(user__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["article", "session_key"], name="vote_once_per_session",
                condition=models.Q(user__isnull=True),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{'helpful' if self.helpful else 'not helpful'}: {self.article}"


class Deflection(models.Model):
    """A request that an article answered before it became a ticket."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        "accounts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    query = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="deflection_when")]

    def __str__(self) -> str:
        return f"{self.article} answered a request"
