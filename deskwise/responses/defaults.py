"""What a new desk starts with: replies that say no well, and the language bank.

Saying no well has four steps, and every deferral and decline here takes them
in order: acknowledge the request, explain the prioritisation, offer
alternatives, set expectations (with a date, when there is one). The wording is
plain and warm on purpose: the requester is usually busy, sometimes upset, and
rarely technical. Admins change all of it in the admin; these are only the
first values, created by the ``0002_defaults`` migration.
"""

from __future__ import annotations

# (name, purpose, body)
TEMPLATES: list[tuple[str, str, str]] = [
    (
        "Deferral: we will get to it by a date",
        "defer",
        """\
Hi {{ first_name }},

Thank you for your request "{{ subject }}" ({{ reference }}). I understand it matters \
to you, and I want to let you know where it stands.

We have put it on hold for now, so that the team can first finish work that affects \
more people.
Why it is waiting: {{ reason }}
{{ explanation }}

What you can do in the meantime:
{{ alternatives }}

We expect to have time for it by {{ expected_date }}. Your request stays in our queue, \
so there is nothing more you need to do, and we will let you know if that date changes. \
If it becomes more urgent, just reply to this message and tell us what has changed; we \
will look at it again.

Thank you for your patience,
{{ agent_name }}
{{ team_name }}
""",
    ),
    (
        "Decline: what you can do instead",
        "decline",
        """\
Hi {{ first_name }},

Thank you for your request "{{ subject }}" ({{ reference }}). I understand why you \
asked, and I am sorry this is not the answer you were hoping for.

We have looked at it carefully, and this is a request our team will not be taking on.
Why: {{ reason }}
{{ explanation }}

What you can do instead:
{{ alternatives }}

If we have got this wrong, or something has changed, just reply to this message. Your \
reply reopens the request, and someone on the team will review it again.

Kind regards,
{{ agent_name }}
{{ team_name }}
""",
    ),
    (
        "Please submit a ticket",
        "please_submit",
        """\
Hi {{ first_name }},

Thanks for getting in touch about "{{ what }}". I would like to make sure this is \
looked after properly, so could you send it to the help desk? It takes a minute: this \
link opens the request form with the details already filled in.
{{ link }}

Once it is logged, the whole team can see it, you get a reference number to follow its \
progress, and someone can pick it up even when I am busy or away.

Thanks,
{{ agent_name }}
""",
    ),
    (
        "Back to the queue: why the help desk is faster",
        "nudge",
        """\
Hi {{ first_name }},

Thank you for coming to me with your questions; I am always glad to help. I have one \
small request that will get you help sooner: next time, please send it to the help desk \
rather than to me directly. This link opens a request with your details filled in.
{{ link }}

Here is why it works better for you:
- It is faster: the whole team sees your request, and the first person who is free \
picks it up.
- Someone covers when I am away: if I am out, in a meeting or on another job, your \
request still moves.
- Nothing gets lost: every request gets a reference number, and you can follow its \
progress.

If it is something I have helped with before, say so in the request and the team will \
know to ask me.

Thanks,
{{ agent_name }}
{{ team_name }}
""",
    ),
    (
        "Need more information",
        "any",
        """\
Hi {{ first_name }},

Thank you for your request "{{ subject }}" ({{ reference }}). So that we can help you \
as quickly as possible, could you tell us a little more?

- What were you trying to do, and what happened instead?
- When did it start, and does it happen every time?
- If you saw an error message, what did it say? A screenshot is perfect.

Just reply to this message; your answer goes straight to your request.

Thank you,
{{ agent_name }}
{{ team_name }}
""",
    ),
    (
        "Resolved: please confirm",
        "any",
        """\
Hi {{ first_name }},

Good news: we believe your request "{{ subject }}" ({{ reference }}) is now solved.

Before we close it, could you take a moment to tell us:
- Is the problem solved for you?
- Are you happy with how we handled it?
- Is there anything we could do better next time?

If something is still not right, just reply to this message and we will pick it up \
again straight away.

Thank you,
{{ agent_name }}
{{ team_name }}
""",
    ),
]

# The language bank, step by step, in the order the dialog offers them.
PHRASES: dict[str, list[str]] = {
    "acknowledge": [
        "Thank you for letting us know about this.",
        "I understand how important this is for your team.",
        "I can see this is getting in the way of your work, and I am sorry for the trouble.",
        "Thank you for explaining it so clearly; it helps us a lot.",
        "I understand this is frustrating, especially when you are busy.",
    ],
    "explain": [
        "Right now we are working on outages that affect the whole office, so requests "
        "like this one wait a little longer.",
        "We take requests in order of how many people are affected and how urgent they "
        "are, so that everyone is treated fairly.",
        "This week the team is focused on a security issue, which has to come first.",
        "Several people are blocked from their essential work right now, and we are "
        "helping them first.",
        "This needs a larger piece of work than our team can take on alongside day-to-day support.",
    ],
    "alternatives": [
        "In the meantime, this article from our knowledge base may get you going:",
        "Another team looks after this kind of request; I have passed it on to them with "
        "your details, so you will not need to explain it again.",
        "Until then, here is a workaround that has helped others:",
        "If you like, I can show you how to do this yourself; it takes about ten minutes.",
        "You can follow your request at any time on the help desk portal.",
    ],
    "expectations": [
        "We expect to have time for this by {{ expected_date }}.",
        "Your request stays in our queue, and we will let you know if that date changes.",
        "If this becomes more urgent, just reply and tell us what has changed; we will "
        "look at it again.",
        "We will write to you as soon as we start on it.",
        "If we have got this wrong, reply to this message and we will review it again.",
    ],
}
