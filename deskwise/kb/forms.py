from __future__ import annotations

from typing import Any

from django import forms

from deskwise.core.forms import BodyField, DeskForm, LineField
from deskwise.core.text import SUBJECT_MAX
from deskwise.kb.models import Article, Section, Visibility


class ArticleForm(DeskForm):
    title = LineField(max_length=SUBJECT_MAX)
    body = BodyField(
        widget=forms.Textarea(attrs={"rows": 22, "class": "kb-markdown", "spellcheck": "true"}),
        help_text="Markdown: # headings, **bold**, *italic*, `code`, lists, tables, "
        "[links](https://example.org) and ``` code blocks ```.",
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.all(), required=False, empty_label="No section"
    )
    tags = LineField(max_length=800, required=False, help_text="Separated by commas.")
    visibility = forms.ChoiceField(
        choices=Visibility.choices, widget=forms.RadioSelect, initial=Visibility.INTERNAL
    )
    is_tip = forms.BooleanField(required=False, label="Offer it as a tip when a ticket is resolved")
    review_at = forms.DateField(
        required=False,
        label="Review by",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When someone should check that it is still right.",
    )
    note = LineField(
        max_length=300,
        required=False,
        label="What changed",
        help_text="A line for the article's history.",
    )

    @classmethod
    def for_article(cls, article: Article, data: Any = None) -> ArticleForm:
        initial = {
            "title": article.title,
            "body": article.body,
            "section": article.section_id,
            "tags": ", ".join(article.tags),
            "visibility": article.visibility,
            "is_tip": article.is_tip,
            "review_at": article.review_at,
        }
        return cls(data, initial=initial)

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data.get("tags", "").split(",") if tag.strip()]


class VoteForm(DeskForm):
    helpful = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])
    q = forms.CharField(required=False, max_length=500)


class _Kept(forms.CharField):
    """Text kept as written, less NUL bytes (which no column stores)."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\x00", "")


class SolvedForm(DeskForm):
    """What the person was asking when an article answered it (the portal's
    request form, submitted to "This solved it")."""

    # Not limited here: the service scrubs and shortens what it keeps, and
    # nothing the person wrote should turn "this solved it" into an error.
    subject = _Kept(required=False)
    description = _Kept(required=False, strip=False)
