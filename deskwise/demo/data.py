"""The demo desk: people, teams and forty requests of the kind a help desk sees.

Each story is a ticket and the steps of its life, in minutes after it was
opened. The loader replays them through the ticket services with the clock
set back, so every timeline is what the services would have written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "deskwise-demo"  # noqa: S105 (the demo desk's published password)

TEAMS = [
    ("Service Desk", "First line: accounts, laptops, printers, software, how-do-I.", True),
    (
        "Infrastructure",
        "Servers, network, Wi-Fi, VPN, storage, backups and security incidents.",
        False,
    ),
]

# username, first, last, email, role, teams
STAFF = [
    ("admin", "Alex", "Morgan", "alex.morgan@example.org", "admin", ["Service Desk", "Infrastructure"]),
    ("priya", "Priya", "Shah", "priya.shah@example.org", "supervisor", ["Service Desk", "Infrastructure"]),
    ("sam", "Sam", "Carter", "sam.carter@example.org", "agent", ["Service Desk"]),
    ("lena", "Lena", "Fischer", "lena.fischer@example.org", "agent", ["Service Desk"]),
    ("tomas", "Tomás", "Ruiz", "tomas.ruiz@example.org", "agent", ["Infrastructure"]),
]  # fmt: skip

REQUESTERS = [
    ("olivia", "Olivia", "Bennett", "olivia.bennett@example.org", "Finance"),
    ("james", "James", "Okafor", "james.okafor@example.org", "Sales"),
    ("mei", "Mei", "Tanaka", "mei.tanaka@example.org", "Marketing"),
    ("daniel", "Daniel", "Novak", "daniel.novak@example.org", "Facilities"),
]

H = 60
D = 24 * H


@dataclass
class Story:
    requester: str
    subject: str
    description: str
    age: int  # minutes since it was opened
    channel: str = "portal"
    team: str = "Service Desk"
    impact: str = "person"
    urgency: str = "degraded"
    logged_by: str | None = None
    cc: list[str] = field(default_factory=list)
    # (minutes after opening, action, arguments)
    steps: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)


def take(at: int, who: str) -> tuple[int, str, dict[str, Any]]:
    return (at, "take", {"who": who})


def reply(at: int, who: str, body: str, then: str | None = None) -> tuple[int, str, dict[str, Any]]:
    return (at, "reply", {"who": who, "body": body, "then": then})


def note(at: int, who: str, body: str) -> tuple[int, str, dict[str, Any]]:
    return (at, "note", {"who": who, "body": body})


def says(at: int, body: str) -> tuple[int, str, dict[str, Any]]:
    return (at, "message", {"body": body})


def resolve(at: int, who: str, body: str) -> tuple[int, str, dict[str, Any]]:
    return (at, "resolve", {"who": who, "body": body})


def confirm(at: int, solved: bool, comment: str = "") -> tuple[int, str, dict[str, Any]]:
    return (at, "confirm", {"solved": solved, "comment": comment})


def status(at: int, who: str, to: str, reason: str) -> tuple[int, str, dict[str, Any]]:
    return (at, "status", {"who": who, "to": to, "reason": reason})


def decide(
    at: int,
    who: str,
    kind: str,
    reason: str,
    message: str,
    *,
    alternatives: list[dict[str, str]] | None = None,
    days: int | None = None,
) -> tuple[int, str, dict[str, Any]]:
    """Defer (with ``days`` until the expected date) or decline, with a reason code."""
    return (at, "decide", {"who": who, "kind": kind, "reason": reason, "message": message,
                           "alternatives": alternatives or [], "days": days})  # fmt: skip


def escalate(at: int, who: str, reason: str, to_user: str | None = None,
             to_team: str | None = None) -> tuple[int, str, dict[str, Any]]:  # fmt: skip
    return (at, "escalate", {"who": who, "reason": reason, "to_user": to_user, "to_team": to_team})


def assign(at: int, who: str, owner: str) -> tuple[int, str, dict[str, Any]]:
    return (at, "assign", {"who": who, "owner": owner})


def call(at: int, who: str, body: str, channel: str = "phone") -> tuple[int, str, dict[str, Any]]:
    return (at, "log", {"who": who, "body": body, "channel": channel})


def close(at: int, who: str, reason: str = "") -> tuple[int, str, dict[str, Any]]:
    return (at, "close", {"who": who, "reason": reason})


STORIES: list[Story] = [
    # --- new: waiting for someone to pick them up -----------------------------------
    Story(
        "olivia",
        "Excel freezes when I open the quarterly forecast",
        "Every time I open Q3-forecast.xlsx from the Finance share, Excel stops responding for "
        'about two minutes and then says it is "Not Responding". Smaller files open fine. '
        "It started after the update on Monday.",
        age=35,
        urgency="degraded",
    ),
    Story(
        "james",
        "Need Salesforce access for our new starter",
        "Hi, Aisha Rahman joins the Sales team on the 1st. Could she get a Salesforce licence "
        "with the same profile as mine? Her manager is me.",
        age=2 * H,
        urgency="can_wait",
    ),
    Story(
        "mei",
        "Projector in meeting room 3 shows no signal",
        'The projector in room 3 says "No signal" with both HDMI cables. I have a client '
        "presentation there at 2pm today.",
        age=50,
        urgency="blocked",
        impact="team",
    ),
    Story(
        "daniel",
        "Badge reader at the loading dock door",
        "The badge reader at the loading dock beeps red for everyone since this morning. "
        "We are propping the door open for deliveries, which I don't like.",
        age=3 * H,
        team="Infrastructure",
        impact="team",
        urgency="degraded",
        channel="email",
    ),
    Story(
        "olivia",
        "Can't print to the 2nd floor printer",
        "Jobs go into the queue and just sit there. I restarted my laptop. The printer display "
        "looks normal.",
        age=5 * H,
        urgency="degraded",
    ),
    Story(
        "james",
        "Phone keeps asking for my mailbox password",
        "My iPhone asks for the mailbox password every few hours even though I type it in "
        "correctly. Laptop mail works fine.",
        age=7 * H,
        urgency="can_wait",
    ),
    Story(
        "mei",
        "Request: Adobe Illustrator licence",
        "Our team is taking over the brochure design from the agency. Could I have an Illustrator "
        "licence? Happy to share one with Tom if that's cheaper.",
        age=26 * H,
        urgency="can_wait",
    ),
    Story(
        "daniel",
        "Wi-Fi drops in the warehouse office",
        "The Wi-Fi in the warehouse office drops for a minute or so roughly every half hour. "
        "The handheld scanners lose their connection and we have to re-scan.",
        age=90,
        team="Infrastructure",
        impact="team",
        urgency="degraded",
    ),
    # --- open and being worked --------------------------------------------------------
    Story(
        "olivia",
        "Payroll export to the bank fails with an error",
        'The monthly payroll export in the finance system fails with "Certificate not trusted" '
        "when it uploads to the bank portal. Payroll must reach the bank by Thursday noon.",
        age=20 * H,
        impact="team",
        urgency="blocked",
        team="Infrastructure",
        steps=[
            take(12, "tomas"),
            reply(
                20,
                "tomas",
                "Hello Olivia, thank you for the clear description and the "
                "deadline. The bank renewed its certificate yesterday and our server does "
                "not trust the new one yet. I'm installing the new chain now and will "
                "update you within the hour.",
            ),
            note(
                45,
                "tomas",
                "Bank moved to a new intermediate CA. Added it to the trust store "
                "on fin-app-02; need a service restart after 18:00 to be safe.",
            ),
            reply(
                70,
                "tomas",
                "Update: the fix is in place and needs a short restart of the "
                "finance system, which I'll do at 18:00 today so nobody loses work. Could "
                "you try the export again tomorrow morning and tell me how it goes?",
            ),
        ],
    ),
    Story(
        "james",
        "Laptop is very slow since the last update",
        "Since last week my laptop takes ten minutes to start and Outlook is sluggish all day. "
        "I have a lot of customer calls so this really slows me down.",
        age=2 * D,
        urgency="degraded",
        steps=[
            take(40, "sam"),
            reply(
                55,
                "sam",
                "Hi James, I'm sorry it's slowing your calls down. I'd like to "
                "check the disk and the startup programs remotely. Would 3pm today suit you? "
                "It takes about 20 minutes and you can keep working.",
                then="waiting_on_requester",
            ),
            says(80, "3pm is fine, thanks."),
            note(
                5 * H,
                "sam",
                "Disk at 97%, 40 GB of old Teams cache and a sync client "
                "stuck re-indexing. Cleared cache, reset the index.",
            ),
            reply(
                5 * H + 10,
                "sam",
                "James, I've cleared 40 GB of cached files and reset the "
                "search index, which was stuck. Start-up should be back to about a minute. "
                "I'll check in tomorrow to see how it feels after a full day.",
            ),
        ],
    ),
    Story(
        "mei",
        "Shared mailbox for the events team",
        "Could we get a shared mailbox events@ for the events team (me, Tom Price and "
        "Sara Lind)? We currently forward everything from my inbox.",
        age=3 * D,
        urgency="can_wait",
        steps=[
            take(3 * H, "lena"),
            reply(
                3 * H + 5,
                "lena",
                "Hi Mei, happy to set that up. Should all three of you "
                "be able to send as events@, or only read it?",
                then="waiting_on_requester",
            ),
            says(5 * H, "All three should be able to send as events@, please."),
            note(
                6 * H,
                "lena",
                "Mailbox created; waiting for the directory sync (about an "
                "hour) before adding send-as rights.",
            ),
        ],
    ),
    Story(
        "daniel",
        "Server room temperature alarm",
        "The temperature alarm in the server room went off at 6:40 this morning. The display "
        "says 31°C. The air conditioning unit is making a clicking noise.",
        age=4 * H,
        channel="phone",
        logged_by="tomas",
        team="Infrastructure",
        impact="organisation",
        urgency="blocked",
        steps=[
            reply(
                10,
                "tomas",
                "Daniel, thank you for calling it in straight away. I'm on "
                "my way to the server room and have called the air-conditioning contractor. "
                "I'll keep you posted here.",
            ),
            escalate(
                25,
                "tomas",
                "Possible cooling failure in the server room; outage risk "
                "for every service if it passes 35°C. Need approval for the contractor's "
                "emergency call-out.",
                to_user="priya",
            ),
            note(
                40,
                "priya",
                "Approved the emergency call-out. Tomás is shutting down the test "
                "cluster to reduce heat.",
            ),
            reply(
                90,
                "tomas",
                "Update: the contractor replaced a failed fan relay and the room "
                "is back to 23°C. I'm leaving this open until we've watched it for a day.",
            ),
        ],
    ),
    Story(
        "olivia",
        "Two-factor codes not arriving by SMS",
        "I changed my phone number last month and now I don't get the sign-in codes by SMS. "
        "I'm using the backup codes but I only have two left.",
        age=6 * H,
        urgency="blocked",
        steps=[
            take(30, "lena"),
            call(
                45,
                "lena",
                "Called Olivia to verify her identity with her employee number "
                "and manager. Agreed to move her to the authenticator app instead of SMS.",
            ),
            reply(
                50,
                "lena",
                "Hi Olivia, as we discussed on the phone, I've reset your "
                "two-factor sign-in. The next time you sign in, you'll be asked to set up "
                "the authenticator app: it takes two minutes. I'll check in tomorrow "
                "morning to make sure it worked.",
            ),
        ],
    ),
    Story(
        "james",
        "Zoom rooms calendar not showing bookings",
        'The screen outside the big meeting room shows "Available" even when the room is '
        "booked. People keep walking into meetings.",
        age=26 * H,
        team="Infrastructure",
        impact="team",
        urgency="degraded",
        steps=[
            assign(2 * H, "priya", "tomas"),
            note(
                3 * H,
                "tomas",
                "Room account's calendar delegation was removed by the "
                "licence clean-up on Friday. Re-adding.",
            ),
            reply(
                3 * H + 15,
                "tomas",
                "Hi James, I found the cause: the room lost access to "
                "its calendar during a licence clean-up. I've restored it; the screen should "
                "show bookings again within 30 minutes. I'll look at it myself after lunch.",
            ),
        ],
    ),
    Story(
        "mei",
        "Website contact form sends no emails",
        'Our website contact form says "Thank you" but nobody receives the messages. We '
        "noticed because a customer called to ask why we hadn't answered.",
        age=30 * H,
        impact="organisation",
        urgency="degraded",
        team="Infrastructure",
        steps=[
            take(20, "tomas"),
            reply(
                35,
                "tomas",
                "Hi Mei, thank you for spotting this, and I'm sorry customers "
                "were left waiting. I've found that the form's mail relay is rejecting "
                "messages since our domain settings changed. I'm correcting the record now "
                "and will resend the messages that were held.",
            ),
            note(
                2 * H,
                "tomas",
                "SPF record was missing the web host's relay. Fixed; 14 "
                "held messages re-sent to marketing@.",
            ),
        ],
    ),
    Story(
        "daniel",
        "Replace cracked laptop screen",
        "I dropped my laptop and the screen has a crack across the top corner. It still works "
        "but it's getting worse.",
        age=4 * D,
        channel="walk_up",
        logged_by="sam",
        urgency="can_wait",
        steps=[
            reply(
                5,
                "sam",
                "Hi Daniel, thanks for bringing it by. I've ordered a "
                "replacement screen; it should arrive by Thursday and the swap takes about "
                "an hour. I'll lend you a spare laptop for that hour.",
            ),
            note(10, "sam", "Ordered screen from the supplier, order 55102, ETA Thursday."),
        ],
    ),
    # --- waiting on the requester -------------------------------------------------------
    Story(
        "james",
        "VPN disconnects every few minutes at home",
        "When I work from home the VPN drops every 5-10 minutes. At the office it is fine.",
        age=3 * D,
        team="Infrastructure",
        urgency="degraded",
        steps=[
            take(2 * H, "tomas"),
            reply(
                2 * H + 10,
                "tomas",
                "Hi James, sorry about the drops; that is tiring. To "
                "narrow it down: are you on Wi-Fi or a cable at home, and does it also "
                "drop if you sit next to the router? A screenshot of the VPN client's "
                '"Statistics" tab after a drop would help a lot.',
                then="waiting_on_requester",
            ),
        ],
    ),
    Story(
        "mei",
        "Lost access to the brand assets folder",
        "I can't open the Brand Assets folder on the shared drive any more. It says I don't "
        "have permission.",
        age=2 * D,
        urgency="degraded",
        steps=[
            take(H, "lena"),
            reply(
                H + 5,
                "lena",
                "Hi Mei, that folder is now owned by the Brand team. I've "
                "asked their lead to approve your access; could you confirm which "
                "sub-folders you need, so we give you just those?",
                then="waiting_on_requester",
            ),
        ],
    ),
    Story(
        "olivia",
        "Calculator add-in missing in Excel",
        "The Finance calculator add-in has disappeared from my Excel ribbon.",
        age=5 * D,
        urgency="can_wait",
        steps=[
            take(30, "sam"),
            reply(
                40,
                "sam",
                "Hi Olivia, the add-in was moved to a new version last week. "
                "Could you restart Excel and check under File > Options > Add-ins whether "
                '"FinCalc 4" is listed? Let me know what you see.',
                then="waiting_on_requester",
            ),
        ],
    ),
    Story(
        "daniel",
        "Label printer prints blank labels",
        "The Zebra label printer in shipping prints blank labels since we changed the roll.",
        age=26 * H,
        channel="phone",
        logged_by="sam",
        steps=[
            reply(
                15,
                "sam",
                "Hi Daniel, as discussed, blank labels after a roll change "
                "usually mean the roll is the wrong way up or the printer needs to "
                "re-calibrate. Could you hold the feed button until it flashes twice and "
                "tell me whether the next label prints?",
                then="waiting_on_requester",
            )
        ],
    ),
    # --- deferred and declined -----------------------------------------------------------
    Story(
        "mei",
        "Upgrade the marketing team's laptops",
        "Our laptops are four years old and struggle with video editing. Could we get new ones?",
        age=8 * D,
        urgency="can_wait",
        impact="team",
        steps=[
            take(H, "priya"),
            decide(
                2 * H,
                "priya",
                "defer",
                "needs_approval",
                "Hello Mei,\n\nThank you for asking: slow laptops make video work painful. "
                "Laptop replacements follow the hardware cycle, and the marketing team's "
                "machines are in the January batch, so we will replace them then. Meanwhile "
                "we can add memory to the two machines used for video, which helps most with "
                "editing: reply and we will book it.\n\nPriya",
                alternatives=[{"kind": "text", "label": "More memory for the two video laptops"}],
                days=40,
            ),
        ],
    ),
    Story(
        "james",
        "Install a personal VPN app on my work laptop",
        "I'd like to install a VPN app I use at home so I can watch UK TV when travelling.",
        age=10 * D,
        urgency="can_wait",
        steps=[
            take(H, "lena"),
            decide(
                90,
                "lena",
                "decline",
                "unsupported",
                "Hello James,\n\nI understand wanting your shows on the road. Personal VPN "
                "software is not allowed on work laptops because it bypasses our security "
                "filtering. On trips you can use your own device for streaming; the company "
                "VPN is there for work systems.\n\nLena",
                alternatives=[{"kind": "text", "label": "Stream on a personal device"}],
            ),
        ],
    ),
    # --- resolved, waiting for the requester to confirm --------------------------------------
    Story(
        "olivia",
        "Outlook signature lost after reinstall",
        "After my Office reinstall my email signature is gone. I don't remember how it was set up.",
        age=3 * D,
        steps=[
            take(20, "lena"),
            reply(
                30,
                "lena",
                "Hi Olivia, I've found your old signature in the backup. Shall "
                "I put it back for you, or would you like the new company template?",
            ),
            says(2 * H, "The new template please, with my direct line."),
            resolve(
                3 * H,
                "lena",
                "I've set up the new company signature with your direct "
                "line on your laptop and in Outlook on the web.",
            ),
        ],
    ),
    Story(
        "james",
        "Can't join Teams meetings from the browser",
        "When customers send me Teams links and I click them, the browser page is blank.",
        age=4 * D,
        steps=[
            take(H, "sam"),
            reply(
                70,
                "sam",
                "Hi James, thanks for the screenshot. A browser extension was "
                "blocking the page. I've added an exception for Teams; could you try the "
                "link from this morning's invite again?",
                then="waiting_on_requester",
            ),
            says(3 * H, "That works now, thank you."),
            resolve(
                3 * H + 10,
                "sam",
                "Added an exception for teams.microsoft.com to the ad-blocking extension policy.",
            ),
        ],
    ),
    Story(
        "daniel",
        "Door camera recordings missing",
        "The recordings from the front door camera stop on the 3rd. We need last week's footage.",
        age=6 * D,
        team="Infrastructure",
        impact="team",
        steps=[
            take(H, "tomas"),
            reply(
                2 * H,
                "tomas",
                "Hi Daniel, the recorder's disk filled up on the 3rd and "
                "stopped recording. Footage up to the 3rd is there; I've exported the day "
                "you need to the Facilities share.",
            ),
            resolve(
                26 * H,
                "tomas",
                "Replaced the recorder disk with a larger one and set "
                "recordings to overwrite after 30 days, with an alert at 90% full.",
            ),
        ],
    ),
    Story(
        "mei",
        "Newsletter images broken in Outlook",
        "Our newsletter shows broken images for everyone on Outlook desktop.",
        age=2 * D,
        impact="organisation",
        urgency="degraded",
        steps=[
            take(30, "lena"),
            escalate(
                2 * H,
                "lena",
                "Needs a change to the mail gateway's image proxy; Infrastructure owns it.",
                to_team="Infrastructure",
            ),
            take(3 * H, "tomas"),
            resolve(
                6 * H,
                "tomas",
                "The mail gateway was rewriting image links. I've "
                "allowed the newsletter's image host; images show again in a test send.",
            ),
        ],
    ),
    # --- closed ---------------------------------------------------------------------------
    Story(
        "olivia",
        "Password reset for the expenses system",
        "I'm locked out of the expenses system after too many attempts.",
        age=12 * D,
        urgency="blocked",
        steps=[
            take(5, "sam"),
            reply(
                8,
                "sam",
                "Hi Olivia, I've unlocked your account and sent a reset link to "
                "your email. It works for one hour.",
            ),
            resolve(10, "sam", "Unlocked the account and sent a password reset link."),
            confirm(40, True, "All good, thanks Sam!"),
        ],
    ),
    Story(
        "james",
        "New monitor for my desk",
        "My monitor flickers. Could I get a replacement?",
        age=15 * D,
        channel="walk_up",
        logged_by="lena",
        urgency="can_wait",
        steps=[
            resolve(
                20,
                "lena",
                "Swapped the monitor for a spare from stock and recycled the faulty one.",
            ),
            confirm(2 * H, True),
        ],
    ),
    Story(
        "mei",
        "Canva account for the team",
        "Could we use Canva? Our designer left and we need to make social posts.",
        age=20 * D,
        urgency="can_wait",
        steps=[
            take(2 * H, "lena"),
            reply(
                3 * H,
                "lena",
                "Hi Mei, we have a company Canva licence. I've invited you "
                "and your team; check your inbox for the invitations.",
            ),
            resolve(3 * H + 5, "lena", "Invited Mei, Tom and Sara to the company Canva team."),
            confirm(D, True, "Perfect."),
        ],
    ),
    Story(
        "daniel",
        "Scanner saves files to the wrong folder",
        "The shipping scanner saves scans to someone's personal folder instead of Shipping.",
        age=18 * D,
        steps=[
            take(H, "sam"),
            resolve(2 * H, "sam", "Changed the scan-to-folder destination to the Shipping share."),
            confirm(4 * H, False, "It still goes to the old folder from the second tray."),
            reply(
                5 * H,
                "sam",
                "Thanks for telling me, Daniel: the second tray had its own "
                "profile. I've changed that one too; could you test a scan from tray 2?",
            ),
            says(6 * H, "Tray 2 works now."),
            resolve(6 * H + 10, "sam", "Updated the destination for both tray profiles."),
            confirm(8 * H, True),
        ],
    ),
    Story(
        "olivia",
        "Suspicious email asking me to approve an invoice",
        'I got an email from "our CEO" asking me to pay an urgent invoice. The address looks '
        "odd. I haven't clicked anything.",
        age=9 * D,
        channel="email",
        team="Infrastructure",
        impact="organisation",
        urgency="degraded",
        steps=[
            take(10, "tomas"),
            reply(
                15,
                "tomas",
                "Olivia, thank you for reporting it and for not clicking: that "
                "was exactly right. It is a phishing email. I've removed it from every "
                "mailbox and blocked the sender.",
            ),
            note(
                30,
                "tomas",
                "Same message reached 23 mailboxes; purged. Sender domain "
                "blocked at the gateway. Two people opened it, none clicked.",
            ),
            resolve(
                40,
                "tomas",
                "Purged the phishing message from all mailboxes and blocked the sender's domain.",
            ),
            confirm(3 * H, True, "Thanks for the quick action."),
        ],
    ),
    Story(
        "james",
        "Printer toner low in Sales",
        "The Sales printer says toner low.",
        age=25 * D,
        urgency="can_wait",
        steps=[
            take(D, "sam"),
            resolve(D + 30, "sam", "Replaced the toner cartridge and ordered a spare."),
            close(8 * D, "sam", "No answer from the requester after a week; closing as resolved."),
        ],
    ),
    Story(
        "mei",
        "Email bounced: mailbox full",
        "A client says their email to me bounced because my mailbox is full.",
        age=14 * D,
        urgency="degraded",
        steps=[
            take(15, "lena"),
            reply(
                20,
                "lena",
                "Hi Mei, your mailbox was at its limit. I've turned on the "
                "online archive, which moves mail older than two years out of the way "
                "automatically. Nothing is deleted.",
            ),
            resolve(25, "lena", "Enabled the online archive; mailbox now at 61%."),
            confirm(2 * H, True),
        ],
    ),
    Story(
        "daniel",
        "Network socket dead in the meeting room",
        "The wall socket in the Facilities meeting room doesn't give a network connection.",
        age=22 * D,
        team="Infrastructure",
        urgency="can_wait",
        steps=[
            take(D, "tomas"),
            note(D + 60, "tomas", "Socket was not patched at the switch. Patched to VLAN 20."),
            resolve(D + 70, "tomas", "Patched the socket at the switch; tested with a laptop."),
            confirm(2 * D, True),
        ],
    ),
    Story(
        "olivia",
        "Access to the audit folder for the external auditors",
        "The auditors need read access to the 2025 audit folder for two weeks.",
        age=27 * D,
        urgency="can_wait",
        impact="team",
        steps=[
            take(2 * H, "lena"),
            note(2 * H + 5, "lena", "Approved by the Finance Director by email."),
            resolve(
                3 * H,
                "lena",
                "Created guest accounts for the two auditors with read "
                "access to the 2025 audit folder, expiring in 14 days.",
            ),
            confirm(5 * H, True),
        ],
    ),
    Story(
        "james",
        "CRM shows a certificate warning",
        "The CRM website shows a certificate warning this morning.",
        age=29 * D,
        team="Infrastructure",
        impact="organisation",
        urgency="blocked",
        steps=[
            take(5, "tomas"),
            reply(
                10,
                "tomas",
                "Hi James, thank you: the CRM's certificate expired overnight. "
                "I'm renewing it now; it should be fixed within 15 minutes.",
            ),
            resolve(
                25, "tomas", "Renewed the certificate and added the CRM to the expiry monitoring."
            ),
            confirm(45, True),
        ],
    ),
    Story(
        "mei",
        "Duplicate: projector in room 3",
        "Room 3 projector not working again.",
        age=16 * D,
        steps=[
            take(10, "sam"),
            close(15, "sam", "Duplicate of an open request for the same projector."),
        ],
    ),
    Story(
        "daniel",
        "Forklift terminal can't reach the stock system",
        'The forklift terminal says "server unreachable" since this morning.',
        age=11 * D,
        channel="phone",
        logged_by="sam",
        team="Service Desk",
        impact="team",
        urgency="blocked",
        steps=[
            escalate(
                10,
                "sam",
                "Network side: terminal gets no address on the warehouse VLAN.",
                to_team="Infrastructure",
            ),
            take(20, "tomas"),
            reply(
                40,
                "tomas",
                "Daniel, the warehouse access point lost its configuration "
                "after a power cut. I've restored it; the terminal is back online.",
            ),
            resolve(45, "tomas", "Restored the access point configuration from backup."),
            confirm(2 * H, True, "Working, thank you."),
        ],
    ),
    Story(
        "olivia",
        "Teams notifications don't make a sound",
        "I don't hear anything when someone messages me on Teams.",
        age=19 * D,
        channel="chat",
        logged_by="lena",
        urgency="can_wait",
        steps=[
            resolve(
                10,
                "lena",
                "Focus assist was on permanently; switched it to work "
                "hours only and turned Teams sounds back on.",
            ),
            confirm(30, True),
        ],
    ),
    Story(
        "james",
        "Old phone to recycle",
        "I have my old work phone. What should I do with it?",
        age=24 * D,
        channel="walk_up",
        logged_by="sam",
        urgency="can_wait",
        steps=[
            resolve(5, "sam", "Took the phone, wiped it and logged it for recycling."),
            confirm(20, True),
        ],
    ),
]

# Triage set-up of the demo desk: categories (with the team they go to), the
# phrases that propose them, the product catalogue and red-flag phrases.
CATEGORIES = [
    ("Accounts & access", "Service Desk", ["password", "log in", "login", "locked out",
                                           "access to", "permissions", "two-factor", "mfa"]),
    ("Email & calendar", "Service Desk", ["outlook", "email", "mailbox", "calendar",
                                          "distribution list", "shared mailbox"]),
    ("Printing", "Service Desk", ["printer", "printing", "print", "toner", "scanner"]),
    ("Laptops & hardware", "Service Desk", ["laptop", "monitor", "keyboard", "docking station",
                                            "screen", "headset", "mouse"]),
    ("Software", "Service Desk", ["excel", "word", "teams", "install", "licence", "license",
                                  "adobe", "salesforce"]),
    ("Network & VPN", "Infrastructure", ["vpn", "wi-fi", "wifi", "network", "internet",
                                         "ethernet", "dns"]),
    ("Servers & storage", "Infrastructure", ["server", "shared drive", "file share", "backup",
                                             "storage", "nas"]),
    ("Security", "Infrastructure", ["phishing", "malware", "virus", "ransomware", "suspicious"]),
]  # fmt: skip
PRODUCTS = [
    ("Windows 11", "windows11\nwin 11", True, ""),
    ("Windows 7", "win 7\nwin7", False, "We support Windows 11 and can upgrade the machine."),
    ("Lotus Notes", "notes client", False, "Mail moved to Outlook in 2024; we can help you move."),
    ("Internet Explorer", "ie11", False, "Use Edge or Chrome; we can set up IE mode if needed."),
    ("Personal phone", "my own phone\nprivate phone", False,
     "We set up work email on personal phones, but do not repair them."),
]  # fmt: skip
FLAG_PHRASES = [
    ("research", None, "custom macro", "Macros are built by the Applications team on request."),
    ("research", None, "train me", "Training is booked with the learning team."),
    ("research", None, "write a script", ""),
    ("out_of_scope", "Service Desk", "door badge", "Facilities handle badges: facilities@example.org."),
    ("out_of_scope", "Service Desk", "parking", "Facilities handle parking."),
    ("out_of_scope", None, "home wifi", "We support work networks; your internet provider helps at home."),
]  # fmt: skip
TEAM_EMAILS = {"Service Desk": "help@example.org", "Infrastructure": "infra@example.org"}
