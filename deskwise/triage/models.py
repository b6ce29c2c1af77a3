"""What the desk knows to triage with: the priority matrix, categories, the
rules for a cold start, the trained models, and the lists behind red flags."""

from __future__ import annotations

from django.db import models

from deskwise.tickets.choices import Impact, Priority, Urgency


class PriorityCell(models.Model):
    """One cell of the impact x urgency matrix; admins may change any of them."""

    impact = models.CharField(max_length=16, choices=Impact.choices)
    urgency = models.CharField(max_length=16, choices=Urgency.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["impact", "urgency"], name="priority_cell_once")
        ]
        ordering = ["impact", "urgency"]

    def __str__(self) -> str:
        return f"{self.get_impact_display()} x {self.get_urgency_display()} = P{self.priority}"


class Category(models.Model):
    """What a request is about (accounts, printing, network...); it may route
    to a team of its own."""

    name = models.CharField(max_length=80, unique=True)
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
        help_text="Requests in this category go to this team, unless told otherwise.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RuleField(models.TextChoices):
    TRIAGE_CLASS = "triage_class", "Class"
    IMPACT = "impact", "Impact"
    URGENCY = "urgency", "Urgency"
    CATEGORY = "category", "Category"
    TEAM = "team", "Team"


class TriageRule(models.Model):
    """Phrases that propose a value when a request contains one of them: how a
    desk triages before it has history to learn from."""

    name = models.CharField(max_length=120)
    phrases = models.TextField(
        help_text="One phrase per line; matched as whole words, in any case."
    )
    field = models.CharField(max_length=16, choices=RuleField.choices)
    value = models.CharField(
        max_length=80,
        help_text="A class, impact or urgency value, or a category or team name.",
    )
    confidence = models.FloatField(
        default=0.9, help_text="How sure a match makes us (0-1); applied at or above the threshold."
    )
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100, help_text="Lower runs first.")

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    def phrase_list(self) -> list[str]:
        return [p.strip() for p in self.phrases.splitlines() if p.strip()]


class TriageModel(models.Model):
    """One trained version of the classifier for one field, learnt from the
    desk's own triaged tickets. Its arrays are stored without pickle."""

    field = models.CharField(max_length=16, choices=RuleField.choices)
    version = models.PositiveIntegerField()
    trained_at = models.DateTimeField()
    samples = models.PositiveIntegerField()
    labels = models.JSONField(default=list)
    metrics = models.JSONField(default=dict, blank=True)
    data = models.BinaryField(help_text="The model's vocabulary and weights (numpy .npz).")
    is_active = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["field", "version"], name="triage_model_version")
        ]

    def __str__(self) -> str:
        return f"{self.field} model v{self.version}"


class Product(models.Model):
    """The catalogue of software and hardware the desk supports, or does not."""

    name = models.CharField(max_length=120, unique=True)
    aliases = models.TextField(blank=True, help_text="Other names, one per line.")
    supported = models.BooleanField(default=True)
    note = models.CharField(
        max_length=300, blank=True, help_text="What to say, e.g. what is supported instead."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({'supported' if self.supported else 'not supported'})"

    def names(self) -> list[str]:
        return [self.name, *(a.strip() for a in self.aliases.splitlines() if a.strip())]


class FlagPhrase(models.Model):
    """Phrases behind two red flags: work that needs extensive research or
    training, and requests outside a team's responsibilities."""

    class Kind(models.TextChoices):
        RESEARCH = "research", "Needs extensive research or training"
        OUT_OF_SCOPE = "out_of_scope", "Outside the team's responsibilities"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    phrase = models.CharField(max_length=200)
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="For the scope list of one team; empty for every team.",
    )
    note = models.CharField(max_length=300, blank=True, help_text="Who handles it instead.")

    class Meta:
        ordering = ["kind", "phrase"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.phrase}"
