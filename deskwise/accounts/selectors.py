from __future__ import annotations

from django.db.models import Q

from deskwise.accounts.models import Contact


def contacts_matching(*, term: str, limit: int = 6) -> list[Contact]:
    """Contacts whose email or name starts with what was typed (at least two characters)."""
    term = term.strip()
    if len(term) < 2 or "\x00" in term:
        return []
    return list(
        Contact.objects.filter(Q(email__istartswith=term) | Q(name__icontains=term)).order_by(
            "email"
        )[: max(1, min(limit, 20))]
    )
