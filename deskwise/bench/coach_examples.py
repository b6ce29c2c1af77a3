"""A labelled set of help desk replies for the reply coach.

Each example is a reply an agent might send, with who it is for and what it
is (a reply, a resolution, a deferral, a decline), labelled with the checks
that SHOULD fire on it: the judgement of a careful reviewer reading the reply,
not what the coach happens to say. Most examples carry one flaw on purpose and
are otherwise written well; some carry several; many have none. Tricky good
replies are in on purpose: jargon in quoted mail, in code, in a link or
explained in brackets; "You should have received an email" (information, not
blame); "sorry I couldn't call back" (an apology, not a refusal); a technical
requester who reads jargon with ease.

The reading grade is labelled by what a reader meets: a positive is written in
long, formal words throughout, a negative in everyday words, so that none
sits near the formula's threshold.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    text: str
    expect: frozenset[str]
    first_name: str = ""
    purpose: str = "reply"
    frustrated: bool = False
    is_technical: bool = False


def _ex(
    text: str,
    expect: str = "",
    *,
    name: str,
    purpose: str = "reply",
    frustrated: bool = False,
    technical: bool = False,
) -> Example:
    return Example(
        text=text,
        expect=frozenset(expect.split()),
        first_name=name,
        purpose=purpose,
        frustrated=frustrated,
        is_technical=technical,
    )


# --- well-written replies: no check should fire -------------------------------------------

GOOD: list[Example] = [
    _ex(
        "Hi Mei,\n\nThanks for letting me know the printer on floor 2 jams after the first page. "
        "I've ordered a new roller, and I'll fit it tomorrow morning before 10 am.\n\n"
        "Until then, the printer next to the kitchen works fine.\n\nBest regards,\nSam",
        name="Mei",
    ),
    _ex(
        "Hello Daniel,\n\nI'm sorry you can't get into your email this morning. I've reset your "
        "password and sent a temporary one to your phone by text.\n\nCould you sign in with it and "
        "choose a new password? If anything goes wrong, call me on 4411 and I'll sort it out with "
        "you right away.\n\nThanks,\nLena",
        name="Daniel",
    ),
    _ex(
        "Hi Olivia,\n\nThank you for the screenshot, it shows exactly what's happening. The shared "
        "calendar stopped syncing after last night's update.\n\nI'm fixing it now and expect it to "
        "work again within the hour. I'll email you as soon as it's done.\n\nTomas",
        name="Olivia",
    ),
    _ex(
        "Hi James,\n\nI'm sorry this has dragged on for so long, and I understand how frustrating "
        "it is to lose work twice in one week.\n\nI've taken this on myself. I'll come to your desk "
        "at 2 pm today to replace the laptop's charger and check the battery.\n\nSam",
        name="James",
        frustrated=True,
    ),
    _ex(
        "Hi Mei,\n\nI've replaced the roller in the floor 2 printer and printed twenty test pages "
        "without a jam.\n\nHave I solved your problem? If it jams again, just reply to this email "
        "and I'll come straight back.\n\nBest regards,\nSam",
        name="Mei",
        purpose="resolution",
    ),
    _ex(
        "Hello Daniel,\n\nYour new monitor is on your desk and connected. I've also set it as your "
        "main screen so the taskbar shows there.\n\nHas this solved the problem for you?\n\nLena",
        name="Daniel",
        purpose="resolution",
    ),
    _ex(
        "Hi Priya,\n\nThanks for asking about installing the photo editing app on your work "
        "laptop. It isn't on our list of approved apps, so we're not the right people to install "
        "it.\n\nWhat you can use instead is the online editor in the Office portal, which does "
        "cropping and colour fixes. Here is the guide: it takes about five minutes to get started."
        "\n\nIf you need the full app for your job, your manager can ask the purchasing team for it."
        "\n\nTomas",
        name="Priya",
        purpose="decline",
    ),
    _ex(
        "Hi Kenji,\n\nThank you for the request to set up the second meeting room screen. Right "
        "now the team is busy with problems that stop people from working, so requests that can "
        "wait are scheduled for when there is time.\n\nI've booked it in for Tuesday 14 May, and "
        "I'll let you know the day before if that changes. Until then the screen in room 3 is free "
        "most afternoons.\n\nLena",
        name="Kenji",
        purpose="defer",
    ),
    _ex(
        "Hi Sofia,\n\nThanks for reporting the broken chair in the training room. I've asked "
        "facilities to collect it, and they'll bring a replacement by Thursday.\n\nSam",
        name="Sofia",
    ),
    _ex(
        "Hi Ahmed,\n\nI can see your laptop is still on the old version of Teams, which explains "
        "the missing buttons. Please restart the laptop before you go home today; the update "
        "installs by itself when it starts again.\n\nTomorrow morning everything should be where "
        "you expect it. Let me know if it isn't.\n\nLena",
        name="Ahmed",
    ),
    _ex(
        "Hello Grace,\n\nYou mentioned the projector in room 4 shows a blue screen with no picture. "
        "That usually means the cable is loose at the wall.\n\nCould you check that the cable "
        "clicks into the wall plate? If that doesn't help, I'll come up at 11:30 and take a look."
        "\n\nSam",
        name="Grace",
    ),
    _ex(
        "Hi Tom,\n\nI'm sorry the scanner keeps saving files to the wrong folder. I've changed the "
        "setting so scans now go straight to your Documents folder.\n\nCould you scan one page and "
        "tell me where it lands?\n\nThanks,\nLena",
        name="Tom",
    ),
    _ex(
        "Hi Aisha,\n\nYou're right, this has taken far too long, and I apologise. Your new phone "
        "is ready and I'll bring it to reception at 9 am tomorrow.\n\nI'll stay with you for ten "
        "minutes to move your contacts across.\n\nTomas",
        name="Aisha",
        frustrated=True,
    ),
    _ex(
        "Hi Ben,\n\nThanks for the quick reply. I can see the invoice folder again on my side, so "
        "the access change has gone through.\n\nPlease close the file explorer and open it again, "
        "and the folder should appear. If it doesn't show within a few minutes, reply here and "
        "I'll check again straight away.\n\nSam",
        name="Ben",
    ),
    _ex(
        "Dear Chloe,\n\nThank you for getting in touch about the new starter's account. I've "
        "created it and the welcome email will go out on Monday at 8 am, so it's ready on their "
        "first day.\n\nKind regards,\nLena",
        name="Chloe",
    ),
    _ex(
        "Hi Olivia,\n\nThe shared calendar is syncing again: I fixed the sharing settings and your "
        "team's meetings now show on every phone.\n\nDid that fix it for you?\n\nTomas",
        name="Olivia",
        purpose="resolution",
    ),
    _ex(
        "Hi James,\n\nI've swapped the charger and tested the battery, which holds its charge for "
        "the whole day now.\n\nHave I solved your problem?\n\nSam",
        name="James",
        purpose="resolution",
    ),
    _ex(
        "Hi Mark,\n\nI understand the meeting room booking page shows an error when you pick next "
        "week. I tried it too and see the same thing, so it's on our side.\n\nI've passed it to the "
        "team that looks after the booking system, and I'll update you by the end of the day."
        "\n\nLena",
        name="Mark",
    ),
    _ex(
        "Hi Nina,\n\nThanks for your message. To share the folder with your new colleague, I need "
        "their full name and their start date.\n\nCould you send those when you have a moment?"
        "\n\nSam",
        name="Nina",
    ),
    _ex(
        "Hello Omar,\n\nSorry to hear the keyboard stopped working during your presentation. A new "
        "one is on its way in the internal post and should reach you this afternoon.\n\nTomas",
        name="Omar",
    ),
    _ex(
        "Hi Hannah,\n\nThank you for flagging the strange email that asks for your bank details. "
        "It's a scam, and you did the right thing by not clicking the link.\n\nI've blocked the "
        "sender for everyone. You can delete the email now.\n\nLena",
        name="Hannah",
    ),
    _ex(
        "Hi Ivan,\n\nI see the shared drive is almost full, which is why saving fails. I'm moving "
        "last year's archive to long-term storage now, which frees about half the space.\n\nIt "
        "will take around two hours. I'll email you when it's finished.\n\nSam",
        name="Ivan",
    ),
    _ex(
        "Hi Julia,\n\nThank you for asking about a printer for your home office. Home equipment "
        "is paid for from each office's own budget rather than through the help desk.\n\nYou can "
        "ask your office manager, who has the form for it. In the meantime you can print to any "
        "office printer from home and collect your pages the next day.\n\nTomas",
        name="Julia",
        purpose="decline",
    ),
    _ex(
        "Hello Kofi,\n\nThanks for suggesting a shortcut for the expenses form on everyone's "
        "desktop. It's a good idea, and we'll add it in the next round of desktop changes on 3 "
        "June.\n\nI'll send you a note when it's live.\n\nLena",
        name="Kofi",
        purpose="defer",
    ),
    _ex(
        "Hi Laura,\n\nI'm sorry your headset keeps cutting out in calls. I'll bring you a "
        "replacement at 3 pm today and take the old one away for testing.\n\nSam",
        name="Laura",
    ),
    _ex(
        "Hi Raj,\n\nThanks for the detailed report. The DNS record for the build server still "
        "points at the old IP address, so the VPN clients resolve the wrong host.\n\nI'll update "
        "the record now; give it about 15 minutes for the cache to clear, and I'll confirm here."
        "\n\nTomas",
        name="Raj",
        technical=True,
    ),
    _ex(
        "Hi Eva,\n\nGood catch on the SSL certificate: it expires on Friday. I've requested a new "
        "one and I'll deploy it to the proxy tomorrow at 7 am, before anyone logs in.\n\nSam",
        name="Eva",
        technical=True,
    ),
    _ex(
        "Hi Paul,\n\nThank you for letting us know about the water on the server room floor. "
        "Facilities are on their way now, and I'm going down myself in five minutes to check the "
        "equipment.\n\nI'll call you at 4 pm with what we found.\n\nLena",
        name="Paul",
    ),
    _ex(
        "Hi Rosa,\n\nI can see why the new expense app is confusing, the menus moved in the last "
        "update.\n\nHere's how to submit a claim now:\n\n1. Open the app and tap Claims.\n2. Tap "
        "the plus sign at the top.\n3. Take a photo of the receipt and tap Send.\n\nIf a step looks "
        "different on your phone, reply with a screenshot and I'll help.\n\nTomas",
        name="Rosa",
    ),
    _ex(
        "Hi Sara,\n\nI'm really sorry you've been without your files for two days. That's not the "
        "service you should get from us.\n\nThe restore is running now and will finish by 1 pm. "
        "I'll call you the moment it's done.\n\nSam",
        name="Sara",
        frustrated=True,
    ),
    _ex(
        "Hi Ahmed,\n\nTeams is up to date now, and all the buttons are back where they were. I "
        "checked with a test call to your number.\n\nIs everything working as you expect now?"
        "\n\nLena",
        name="Ahmed",
        purpose="resolution",
    ),
    _ex(
        "Hello Grace,\n\nThe projector in room 4 had a loose cable at the wall plate. I've fixed it "
        "with a new plate, and the picture is back.\n\nCan you confirm it works for your meeting "
        "this afternoon?\n\nSam",
        name="Grace",
        purpose="resolution",
    ),
    _ex(
        "Hi Aisha,\n\nThank you for your patience with this one. Your new phone is set up with all "
        "your contacts and apps.\n\nHave I solved your problem?\n\nTomas",
        name="Aisha",
        purpose="resolution",
        frustrated=True,
    ),
    _ex(
        "Hi Victor,\n\nThanks for the heads-up about the slow Wi-Fi on the third floor. I've "
        "restarted the access point there, and speeds look normal again on my tests.\n\nCould you "
        "tell me if it still feels slow after lunch?\n\nLena",
        name="Victor",
    ),
    _ex(
        "Hi Yuki,\n\nSorry about the trouble with the card reader at the front door. I've asked "
        "security to register your badge again, and they'll do it by 10 am tomorrow.\n\nUntil "
        "then, reception will let you in.\n\nSam",
        name="Yuki",
    ),
    _ex(
        "Hi Zoe,\n\nThanks for asking whether we can recover photos from your personal phone. We "
        "look after company devices only, so the best people for this are the phone shop on the "
        "high street.\n\nThey offer data recovery and can usually tell you within a day whether "
        "it's possible.\n\nTomas",
        name="Zoe",
        purpose="decline",
    ),
    _ex(
        "Hi Leo,\n\nThanks for the request for a bigger mailbox. We're rolling out larger "
        "mailboxes for everyone at the end of the month, so I've added yours to that change.\n\n"
        "You'll have the extra space by 30 June at the latest, and I'll email you when it's done."
        "\n\nLena",
        name="Leo",
        purpose="defer",
    ),
    _ex(
        "Hi Mia,\n\nI understand you need the design files for tomorrow's client meeting. I've "
        "given you access to the folder, and it should show up within ten minutes.\n\nIf it's not "
        "there by 5 pm, call me on 4410.\n\nSam",
        name="Mia",
    ),
    _ex(
        "Hello Noah,\n\nThanks for calling earlier about the printer that prints blank pages. The "
        "toner cartridge was empty, and a new one is on its way to your floor.\n\nIt should be "
        "there by 2 pm, and I'll fit it when it arrives.\n\nTomas",
        name="Noah",
    ),
    _ex(
        "Hi Ella,\n\nI'm sorry you were locked out after the password change. Your account is "
        "unlocked now.\n\nPlease sign in again with the new password you chose this morning. If you "
        "see the lock message again, reply to this email and I'll look at it immediately.\n\nLena",
        name="Ella",
    ),
    _ex(
        "Hi Felix,\n\nThank you for sending the error message, it helps a lot. The accounting "
        "program can't find its licence because the licence server moved last night.\n\nI'll "
        "point your computer at the new server at 12:30 today, while you're at lunch. It takes "
        "two minutes.\n\nSam",
        name="Felix",
    ),
    _ex(
        "Hi Kenji,\n\nThe second screen in the meeting room is up and running, and it mirrors the "
        "laptop as soon as you plug in.\n\nDoes it work the way you hoped?\n\nLena",
        name="Kenji",
        purpose="resolution",
    ),
    _ex(
        "Hi Iris,\n\nI'm so sorry the laptop failed again right before your deadline. I know how "
        "stressful that is.\n\nA loan laptop with your files is ready at the help desk now. I'll "
        "repair yours by Friday and bring it back to you myself.\n\nTomas",
        name="Iris",
        frustrated=True,
    ),
    _ex(
        "Hi Hugo,\n\nThanks for your question about working from the Berlin office next week. "
        "Your badge and laptop will work there without any changes.\n\nIf you'd like a desk "
        "booked, let me know which days and I'll arrange it.\n\nSam",
        name="Hugo",
    ),
    _ex(
        "Hi Lucy,\n\nThank you for letting me know the new starter can't log in. Their account "
        "was created with a typo in the surname, and I've corrected it.\n\nThey can sign in now "
        "with the details in the welcome email.\n\nLena",
        name="Lucy",
    ),
    # Good replies that look like a flaw at first glance.
    _ex(
        "Nina - thanks for your message. Could you send me your colleague's start date, so I "
        "can share the folder with them?\n\nSam",
        name="Nina",
    ),
    _ex(
        "Dear Ms Okafor,\n\nThank you for your email about the conference room screen. I'll have "
        "it working by 9 am tomorrow.\n\nKind regards,\nLena",
        name="Ngozi",
    ),
    _ex(
        "Hi Lucy,\n\nThanks for checking in about the new laptop. You should have received an "
        "email with the collection code yesterday; I've sent it again just now.\n\nYou can collect "
        "the laptop from the help desk any time after 10 am tomorrow.\n\nLena",
        name="Lucy",
    ),
    _ex(
        "Hi Tom,\n\nThank you for sending your error message. It shows the disk is full, which "
        "isn't your fault: the update files were never cleaned up.\n\nI'll clear them remotely at "
        "1 pm today, and you won't need to do anything.\n\nSam",
        name="Tom",
    ),
    _ex(
        "Hi Laura,\n\nI'm sorry I couldn't call you back yesterday. Your new headset is ready, and "
        "I'll bring it to your desk at 3 pm today.\n\nSam",
        name="Laura",
    ),
    _ex(
        "Hi Felix,\n\nThanks for the error message. If I can't fix the licence remotely, I'll come "
        "to your desk at 12:30 today.\n\nSam",
        name="Felix",
    ),
    _ex(
        "Hi Ella,\n\nSorry you were locked out. Your account is unlocked, and you won't need to "
        "change your password again until next year.\n\nPlease sign in now and let me know if it "
        "works.\n\nLena",
        name="Ella",
    ),
    _ex(
        "Hi Mei,\n\nThanks for forwarding the message. You don't need to do anything: the warning "
        "in it is for the IT team only, and I've dealt with it.\n\nSam\n\n"
        "On Mon, 12 May 2025 at 09:14, Mei Lin <mei@example.com> wrote:\n"
        "> Our DNS and DHCP servers report a firewall error on the VPN.\n> What should I do?",
        name="Mei",
    ),
    _ex(
        "Hi Daniel,\n\nThanks for sending the error. Please click the button labelled "
        "`Connect VPN` in the corner of the screen, then open the website again.\n\nIf it still "
        "fails, reply here and I'll call you within the hour.\n\nLena",
        name="Daniel",
    ),
    _ex(
        'Hi Olivia,\n\nThanks for the screenshot. In Chrome, open the menu and choose "Clear '
        'cache", then reload the page.\n\nLet me know if the old version still shows.\n\nTomas',
        name="Olivia",
    ),
    _ex(
        "Hi James,\n\nI understand the laptop feels slow. I'll add more memory (RAM) to it on "
        "Thursday at 10 am; it takes half an hour.\n\nSam",
        name="James",
    ),
    _ex(
        "Hi Priya,\n\nThanks for your message. The setup guide is at "
        "https://intranet.example.com/it/mfa-vpn-setup and takes five minutes.\n\nCould you "
        "finish it by Friday?\n\nTomas",
        name="Priya",
    ),
    _ex(
        "Hi Paul,\n\nThank you for sending the screenshot. Please send it to "
        "vpn-support@example.com as well, so the network team sees it.\n\nI'll call you at 4 pm."
        "\n\nLena",
        name="Paul",
    ),
    _ex(
        "Hi Hugo,\n\nThanks for asking about the car park barrier. The driver of the delivery van "
        "reported the same fault this morning, and facilities will fix it by noon.\n\nSam",
        name="Hugo",
    ),
    _ex(
        "Hi Ella,\n\nThanks for asking how to change your password. Here are the steps:\n\nOpen "
        "the intranet and click your photo.\nChoose Security, then Change password.\nType the old "
        "password and the new one twice, then press Save.\n\nLet me know if you get stuck.\n\nLena",
        name="Ella",
    ),
]

# --- replies with a flaw: each labelled with every check that should fire -------------------

FLAWED: list[Example] = [
    # greeting
    _ex(
        "Thanks for letting me know the printer jams. I'll replace the roller by 3 pm today."
        "\n\nSam",
        "greeting",
        name="Mei",
    ),
    _ex(
        "Hello,\n\nI'm sorry you can't sign in. I've unlocked your account; please try again now."
        "\n\nLena",
        "greeting",
        name="Daniel",
    ),
    _ex(
        "Hi there,\n\nThanks for the screenshot. I'll fix the calendar sharing this afternoon and "
        "email you when it's done.\n\nTomas",
        "greeting",
        name="Olivia",
    ),
    _ex(
        "Replaced the charger and tested the battery: it lasts the day now.\n\nHave I solved your "
        "problem?\n\nSam",
        "greeting",
        name="James",
        purpose="resolution",
    ),
    _ex(
        "Dear user,\n\nThank you for your request about the software. Could you tell me which "
        "version you need?\n\nIT Service Desk",
        "greeting",
        name="Priya",
    ),
    _ex(
        "Thanks for the request for a second screen. We'll set it up on Tuesday 14 May, and I'll "
        "confirm the day before.\n\nLena",
        "greeting",
        name="Kenji",
        purpose="defer",
    ),
    _ex(
        "Good morning,\n\nSorry to hear about the broken chair. Facilities will collect it by "
        "Thursday.\n\nSam",
        "greeting",
        name="Sofia",
    ),
    _ex(
        "Hey,\n\nI see Teams is out of date on your laptop. Please restart it before you leave "
        "today and the update will install.\n\nLena",
        "greeting",
        name="Ahmed",
    ),
    _ex(
        "I understand the booking page shows an error. I've passed it to the booking team and "
        "I'll update you by 5 pm.\n\nSam",
        "greeting",
        name="",
    ),
    # acknowledgement
    _ex(
        "Hi Mei,\n\nI'll replace the printer roller tomorrow at 10 am.\n\nSam",
        "acknowledgement",
        name="Mei",
    ),
    _ex(
        "Hi Daniel,\n\nPassword reset. The temporary one is on its way to your phone; please "
        "change it when you sign in.\n\nLena",
        "acknowledgement",
        name="Daniel",
    ),
    _ex(
        "Hi Olivia,\n\nThe calendar will be fixed by 4 pm today. I'll email you when it's done."
        "\n\nTomas",
        "acknowledgement",
        name="Olivia",
    ),
    _ex(
        "Hi Ben,\n\nAccess granted. Please close and reopen the file explorer.\n\nSam",
        "acknowledgement",
        name="Ben",
    ),
    _ex(
        "Hi Chloe,\n\nAccount created. The welcome email goes out on Monday at 8 am.\n\nLena",
        "acknowledgement",
        name="Chloe",
    ),
    _ex(
        "Hi Yuki,\n\nThis is scheduled for the week of 10 June. I'll confirm the exact day on "
        "Monday.\n\nSam",
        "acknowledgement",
        name="Yuki",
        purpose="defer",
    ),
    _ex(
        "Hi Hannah,\n\nThe web version does everything the desktop app does, and you can start "
        "using it today: here is the link to sign in.\n\nTomas",
        "acknowledgement",
        name="Hannah",
        purpose="decline",
    ),
    _ex(
        "Hi Ivan,\n\nMoving last year's archive now. Done in about two hours.\n\nSam",
        "acknowledgement",
        name="Ivan",
    ),
    _ex(
        "Hi Paul,\n\nFacilities are on their way. I'll call you at 4 pm.\n\nLena",
        "acknowledgement empathy",
        name="Paul",
        frustrated=True,
    ),
    _ex(
        "Hi Mark,\n\nPlease clear your browser history and try the booking page again. Reply here "
        "if it still fails.\n\nLena",
        "acknowledgement",
        name="Mark",
    ),
    _ex(
        "Hi Omar,\n\nNew keyboard in the post, arriving this afternoon.\n\nTomas",
        "acknowledgement",
        name="Omar",
    ),
    # empathy (the requester is frustrated)
    _ex(
        "Hi James,\n\nThanks for the update about the laptop. I'll replace the charger at 2 pm "
        "today.\n\nSam",
        "empathy",
        name="James",
        frustrated=True,
    ),
    _ex(
        "Hi Aisha,\n\nI see the phone still isn't ready. It will be at reception at 9 am tomorrow."
        "\n\nTomas",
        "empathy",
        name="Aisha",
        frustrated=True,
    ),
    _ex(
        "Hi Sara,\n\nYour files are being restored and the restore finishes by 1 pm. I'll call "
        "you then.\n\nSam",
        "acknowledgement empathy",
        name="Sara",
        frustrated=True,
    ),
    _ex(
        "Hi Iris,\n\nYou mentioned the laptop failed again. A loan laptop is at the help desk now, "
        "and I'll repair yours by Friday.\n\nTomas",
        "empathy",
        name="Iris",
        frustrated=True,
    ),
    _ex(
        "Hello Paul,\n\nRegarding your complaint about the slow response: the ticket was in the "
        "queue behind two outages. I'll look at it at 11 am today.\n\nLena",
        "empathy",
        name="Paul",
        frustrated=True,
    ),
    _ex(
        "Hi Rosa,\n\nThank you for your message. The expense app moved its menus in the last "
        "update. Open the app, tap Claims, then tap the plus sign.\n\nReply here if it still "
        "looks different.\n\nTomas",
        "empathy",
        name="Rosa",
        frustrated=True,
    ),
    _ex(
        "Hi Leo,\n\nThanks for chasing this. The mailbox change is planned for the end of the "
        "month and you'll get the extra space by 30 June.\n\nLena",
        "empathy",
        name="Leo",
        purpose="defer",
        frustrated=True,
    ),
    _ex(
        "Hi Mia,\n\nYou now have access to the design folder; I checked it from your account.\n\n"
        "Have I solved your problem?\n\nSam",
        "empathy",
        name="Mia",
        purpose="resolution",
        frustrated=True,
    ),
    _ex(
        "Hi Felix,\n\nI understand the accounting program stopped again. I'll point your computer "
        "at the new licence server at 12:30 today.\n\nSam",
        "empathy",
        name="Felix",
        frustrated=True,
    ),
    _ex(
        "Hi Zoe,\n\nThanks for asking about recovering the photos. The phone shop on the high "
        "street offers data recovery and can tell you within a day if they can help.\n\nTomas",
        "empathy",
        name="Zoe",
        purpose="decline",
        frustrated=True,
    ),
    _ex(
        "Hi Hugo,\n\nThanks for your email. Your badge will work in Berlin from Monday, and I'll "
        "book the desk you asked for by tomorrow noon.\n\nSam",
        "empathy",
        name="Hugo",
        frustrated=True,
    ),
    # blame
    _ex(
        "Hi Mei,\n\nThanks for letting me know about the lost document. You should have saved it "
        "to the shared drive, because files on the desktop are not backed up.\n\nI'll try to "
        "recover it by 3 pm today.\n\nSam",
        "blame",
        name="Mei",
    ),
    _ex(
        "Hi Daniel,\n\nI see you're locked out again. As I already told you, the password needs to "
        "be changed every 90 days.\n\nI've unlocked the account; please choose a new password now."
        "\n\nLena",
        "blame",
        name="Daniel",
    ),
    _ex(
        "Hi Olivia,\n\nThanks for the report. This was user error: the calendar was shared with "
        "the wrong group.\n\nI've corrected the sharing, and your team will see it within ten "
        "minutes.\n\nTomas",
        "blame",
        name="Olivia",
    ),
    _ex(
        "Hi Ben,\n\nI understand the invoice folder disappeared. You forgot to accept the access "
        "request in your email, so it never went through.\n\nPlease accept it now and the folder "
        "will appear.\n\nSam",
        "blame",
        name="Ben",
    ),
    _ex(
        "Hi Chloe,\n\nThank you for your email. Obviously the welcome email can't arrive before "
        "the account exists, so please send the request earlier next time.\n\nI'll create it "
        "today by 4 pm.\n\nLena",
        "blame",
        name="Chloe",
    ),
    _ex(
        "Hi Ahmed,\n\nI can see Teams is out of date. You should have restarted your laptop when "
        "the update asked you to.\n\nPlease restart it before you go home today.\n\nLena",
        "blame",
        name="Ahmed",
    ),
    _ex(
        "Hi Grace,\n\nThanks for reporting the projector problem. Did you even check the cable "
        "before raising a ticket? It was just loose.\n\nI've pushed it back in, and it works now. "
        "Let me know if it happens again.\n\nSam",
        "blame",
        name="Grace",
    ),
    _ex(
        "Hi Mark,\n\nThe booking page works again. It was your own fault for using an old "
        "bookmark; please use the link on the intranet from now on.\n\nHave I solved your problem?"
        "\n\nLena",
        "blame",
        name="Mark",
        purpose="resolution",
    ),
    _ex(
        "Hi Nina,\n\nThanks for your message. Like I said on the phone, I need your colleague's "
        "full name and start date before I can share the folder.\n\nCould you send them today?"
        "\n\nSam",
        "blame",
        name="Nina",
    ),
    _ex(
        "Hi Sofia,\n\nI'm sorry about the chair. You shouldn't have stood on it to reach the shelf."
        "\n\nFacilities will replace it by Thursday.\n\nSam",
        "blame",
        name="Sofia",
    ),
    _ex(
        "Hi Kofi,\n\nThanks for the screenshot of the error. This is a classic PEBKAC problem: the "
        "caps lock key was on.\n\nTurn caps lock off and sign in again, and it will work.\n\nTomas",
        "blame",
        name="Kofi",
    ),
    # negative phrasing
    _ex(
        "Hi Mei,\n\nThanks for letting me know about the printer. We can't replace the roller "
        "until the part arrives on Thursday.\n\nI'll fit it that morning.\n\nSam",
        "negative",
        name="Mei",
    ),
    _ex(
        "Hi Daniel,\n\nI'm sorry you're locked out. Unfortunately I'm unable to reset passwords "
        "over the phone.\n\nPlease use the reset page on the intranet, which takes two minutes."
        "\n\nLena",
        "negative",
        name="Daniel",
    ),
    _ex(
        "Hi Olivia,\n\nThanks for the screenshot. That's not possible with the current calendar "
        "system.\n\nThe new system arrives in June and I'll check it does what you need then."
        "\n\nTomas",
        "negative",
        name="Olivia",
    ),
    _ex(
        "Hi Ben,\n\nI understand you need the invoice folder. We don't give access to finance "
        "folders without a manager's approval.\n\nCould you ask your manager to approve the "
        "request in the access portal?\n\nSam",
        "negative",
        name="Ben",
    ),
    _ex(
        "Hi Priya,\n\nThanks for asking about the photo editing app. It's against policy to "
        "install it, and we won't make an exception.\n\nYou can use the online editor in the "
        "Office portal instead.\n\nTomas",
        "negative",
        name="Priya",
        purpose="decline",
    ),
    _ex(
        "Hi Kenji,\n\nThank you for your request. Unfortunately the meeting room screens are "
        "booked out. Sadly we also have no spare cables this week.\n\nI'll order cables today and "
        "set the screen up on Monday.\n\nLena",
        "negative",
        name="Kenji",
    ),
    _ex(
        "Hi Ahmed,\n\nI see the Teams buttons are missing. This isn't supported on the old "
        "laptops, and it can't be fixed remotely.\n\nI'll bring you a newer laptop tomorrow at 10 "
        "am.\n\nLena",
        "negative",
        name="Ahmed",
    ),
    _ex(
        "Hi Grace,\n\nThanks for reporting the projector. Projectors are not our responsibility, "
        "it's not my job to fix them.\n\nPlease contact facilities on 2200.\n\nSam",
        "negative",
        name="Grace",
    ),
    _ex(
        "Hi Nina,\n\nThanks for your message. There's nothing we can do until your colleague has "
        "an account.\n\nI'll share the folder the day their account is ready, on 3 June.\n\nSam",
        "negative",
        name="Nina",
    ),
    _ex(
        "Hi Omar,\n\nThe new keyboard is on your desk. I won't be able to repair the old one, so "
        "I've recycled it.\n\nHave I solved your problem?\n\nTomas",
        "negative",
        name="Omar",
        purpose="resolution",
    ),
    _ex(
        "Hi Hannah,\n\nThank you for flagging the suspicious email. I cannot tell you who sent "
        "it, and we do not block senders on request.\n\nPlease delete it.\n\nLena",
        "negative",
        name="Hannah",
    ),
    _ex(
        "Hi Ivan,\n\nThanks for your request. We will not be able to clean up the shared drive "
        "this week, as the team is working on an outage.\n\nI'll start on it on Monday 9 June."
        "\n\nSam",
        "negative",
        name="Ivan",
        purpose="defer",
    ),
    _ex(
        "Hi Victor,\n\nI'm sorry the Wi-Fi is slow on the third floor. Unfortunately we can't do "
        "anything about it today.\n\nThe new access point arrives on Friday and I'll install it "
        "that afternoon.\n\nLena",
        "negative",
        name="Victor",
    ),
    # jargon
    _ex(
        "Hi Mei,\n\nThanks for letting me know the internet is slow. It looks like a DNS problem "
        "on the office router.\n\nI'll fix it by 2 pm today.\n\nSam",
        "jargon",
        name="Mei",
    ),
    _ex(
        "Hi Daniel,\n\nI'm sorry you can't reach the files from home. Please connect to the VPN "
        "first, then open the shared folder.\n\nLet me know if it still fails.\n\nLena",
        "jargon",
        name="Daniel",
    ),
    _ex(
        "Hi Olivia,\n\nThanks for the screenshot. Your browser cache is out of date; please clear "
        "it and reload the page.\n\nTomas",
        "jargon",
        name="Olivia",
    ),
    _ex(
        "Hi James,\n\nI understand the laptop is slow. It only has 4 GB of RAM and the CPU is old."
        "\n\nI'll swap it for a newer one on Thursday at 10 am.\n\nSam",
        "jargon",
        name="James",
    ),
    _ex(
        "Hi Priya,\n\nThanks for your message. Your account needs MFA before you can use the new "
        "portal.\n\nCould you set it up today? It takes five minutes.\n\nTomas",
        "jargon",
        name="Priya",
    ),
    _ex(
        "Hi Ahmed,\n\nI can see the update failed. I'll push a patch and reboot the machine "
        "remotely at 6 pm tonight.\n\nLena",
        "jargon",
        name="Ahmed",
    ),
    _ex(
        "Hi Grace,\n\nThanks for reporting it. The projector's firmware is outdated, so I'll "
        "update it tomorrow morning.\n\nSam",
        "jargon",
        name="Grace",
    ),
    _ex(
        "Hi Sofia,\n\nI re-provisioned your account in Active Directory and the group policy now "
        "applies.\n\nHave I solved your problem?\n\nSam",
        "jargon",
        name="Sofia",
        purpose="resolution",
    ),
    _ex(
        "Hi Kenji,\n\nThanks for the request. The meeting room screen needs a new HDMI switch and "
        "the SSID for the guest network.\n\nI'll set both up on Monday at 9 am.\n\nLena",
        "jargon",
        name="Kenji",
    ),
    _ex(
        "Hi Nina,\n\nThanks for your message. I've sent this to tier 2 because the folder "
        "permissions need an admin with elevated privileges.\n\nThey'll reply by the end of the "
        "day.\n\nSam",
        "jargon",
        name="Nina",
    ),
    _ex(
        "Hi Tom,\n\nI'm sorry the scanner is misbehaving. The SMTP settings on the scanner point "
        "at the old server.\n\nI'll change them at 11 am today.\n\nLena",
        "jargon",
        name="Tom",
    ),
    _ex(
        "Hi Chloe,\n\nThank you for your email. The new starter's laptop is being reimaged and "
        "will be ready on Monday.\n\nTomas",
        "jargon",
        name="Chloe",
    ),
    # next step and time
    _ex(
        "Hi Mei,\n\nThanks for letting me know the printer jams after the first page. I'll look "
        "into it.\n\nSam",
        "next_step",
        name="Mei",
    ),
    _ex(
        "Hi Daniel,\n\nI'm sorry you can't sign in. We're checking the account system.\n\nLena",
        "next_step",
        name="Daniel",
    ),
    _ex(
        "Hi Olivia,\n\nThanks for the screenshot, it's very helpful. I will get back to you soon."
        "\n\nTomas",
        "next_step",
        name="Olivia",
    ),
    _ex(
        "Hi James,\n\nI understand the laptop keeps losing charge. A new charger has been ordered."
        "\n\nSam",
        "next_step",
        name="James",
    ),
    _ex(
        "Hi Priya,\n\nThank you for your request for the design software. It's with the "
        "purchasing team now.\n\nTomas",
        "next_step",
        name="Priya",
    ),
    _ex(
        "Hi Kenji,\n\nThanks for your request about the meeting room screen. The team is busy with "
        "urgent work right now, so we'll come back to it later.\n\nLena",
        "next_step",
        name="Kenji",
        purpose="defer",
    ),
    _ex(
        "Hi Ivan,\n\nThanks for the request to tidy the shared drive. We've put it on our list "
        "and will pick it up once the migration is done.\n\nSam",
        "next_step",
        name="Ivan",
        purpose="defer",
    ),
    _ex(
        "Hi Zoe,\n\nThanks for asking about recovering photos from your personal phone. The help "
        "desk only looks after company devices.\n\nTomas",
        "next_step",
        name="Zoe",
        purpose="decline",
    ),
    _ex(
        "Hi Julia,\n\nThank you for asking about a printer for your home office. Home equipment is "
        "outside what the help desk looks after.\n\nLena",
        "next_step",
        name="Julia",
        purpose="decline",
    ),
    _ex(
        "Hi Mark,\n\nI understand the booking page shows an error for next week. I've passed it "
        "on to the booking system team.\n\nLena",
        "next_step",
        name="Mark",
    ),
    _ex(
        "Hi Ella,\n\nSorry you were locked out again. I'm investigating why it keeps happening and "
        "will update you.\n\nLena",
        "next_step",
        name="Ella",
    ),
    _ex(
        "Hi Yuki,\n\nSorry about the trouble with the card reader. Security is aware of the "
        "problem.\n\nSam",
        "next_step",
        name="Yuki",
    ),
    # "Have I solved your problem?" on a resolution
    _ex(
        "Hi Mei,\n\nI've replaced the roller in the floor 2 printer and printed twenty test pages "
        "without a jam.\n\nBest regards,\nSam",
        "solved_question",
        name="Mei",
        purpose="resolution",
    ),
    _ex(
        "Hi Daniel,\n\nI've reset your password and unlocked your account. You can sign in again "
        "now.\n\nLena",
        "solved_question",
        name="Daniel",
        purpose="resolution",
    ),
    _ex(
        "Hi Olivia,\n\nThe calendar sharing is fixed, and your team can see the meetings again."
        "\n\nThanks,\nTomas",
        "solved_question",
        name="Olivia",
        purpose="resolution",
    ),
    _ex(
        "Hi James,\n\nNew charger fitted and battery tested. All done.\n\nSam",
        "solved_question",
        name="James",
        purpose="resolution",
    ),
    _ex(
        "Hi Ahmed,\n\nTeams is updated, and the missing buttons are back. I'm closing this ticket "
        "now.\n\nLena",
        "solved_question",
        name="Ahmed",
        purpose="resolution",
    ),
    _ex(
        "Hello Grace,\n\nI fixed the loose cable on the projector in room 4. It works now.\n\n"
        "Kind regards,\nSam",
        "solved_question",
        name="Grace",
        purpose="resolution",
    ),
    _ex(
        "Hi Kenji,\n\nThe second screen in the meeting room is installed and mirrors your laptop "
        "when you plug in.\n\nLena",
        "solved_question",
        name="Kenji",
        purpose="resolution",
    ),
    _ex(
        "Hi Aisha,\n\nThank you for your patience. Your new phone is ready with all your contacts."
        "\n\nTomas",
        "solved_question",
        name="Aisha",
        purpose="resolution",
        frustrated=True,
    ),
    _ex(
        "Hi Rosa,\n\nI've sent you the new expense app guide and updated the app on your phone. "
        "Enjoy!\n\nTomas",
        "solved_question",
        name="Rosa",
        purpose="resolution",
    ),
    _ex(
        "Hi Felix,\n\nYour computer now uses the new licence server and the accounting program "
        "opens normally. Let me know if you need anything else.\n\nSam",
        "solved_question",
        name="Felix",
        purpose="resolution",
    ),
    # long sentences
    _ex(
        "Hi Mei,\n\nThanks for letting me know about the printer, and I wanted to say that I have "
        "ordered a new roller from the supplier which should arrive tomorrow morning and then I "
        "will come up to the second floor and fit it for you before lunch if that works.\n\nSam",
        "long_sentence reading_grade",
        name="Mei",
    ),
    _ex(
        "Hi Daniel,\n\nI'm sorry you can't sign in. I've checked your account and it seems that "
        "the password expired over the weekend while you were away, which is why the system kept "
        "asking you for a new one every time you tried.\n\nPlease reset it on the intranet now. It "
        "takes a minute. Call me if it fails.\n\nLena",
        "long_sentence",
        name="Daniel",
    ),
    _ex(
        "Hi Olivia,\n\nThanks for the screenshot. The calendar stopped syncing because the update "
        "that we installed on Tuesday night changed the sharing settings for every team calendar "
        "in the building, including yours and the one for the sales team.\n\nI'll fix it by 4 pm "
        "today.\n\nTomas",
        "long_sentence",
        name="Olivia",
    ),
    _ex(
        "Hi James,\n\nI've replaced the charger with a new one from the store room, tested the "
        "battery over a full working day with video calls and the usual programs running, and it "
        "now lasts until well after five in the evening.\n\nHave I solved your problem?\n\nSam",
        "long_sentence",
        name="James",
        purpose="resolution",
    ),
    _ex(
        "Hi Ben,\n\nThanks for the quick reply. I can see the folder on my side now, so if you "
        "close the file explorer and open it again, or sign out and back in if that does not "
        "work, the invoice folder should appear in the list on the left.\n\nSam",
        "long_sentence",
        name="Ben",
    ),
    _ex(
        "Hi Hannah,\n\nThank you for flagging the email. It is a scam that tries to get people to "
        "type their bank details into a fake page that looks like the real bank, and several "
        "people in the company received the same message this morning.\n\nI've blocked the "
        "sender. You can delete the email now.\n\nLena",
        "long_sentence",
        name="Hannah",
    ),
    _ex(
        "Hi Victor,\n\nI'm sorry the Wi-Fi has been so slow. I restarted the access point on the "
        "third floor, checked the speed in every meeting room and at the desks near the windows, "
        "and it now looks as fast as the rest of the building.\n\nCould you tell me if it feels "
        "slow again after lunch?\n\nLena",
        "long_sentence",
        name="Victor",
        frustrated=True,
    ),
    # a high reading grade
    _ex(
        "Hi Mei,\n\nThank you for notifying us regarding the intermittent printing malfunction. "
        "Our preliminary investigation indicates that mechanical deterioration of the feeding "
        "mechanism is responsible for the recurring paper obstruction. Consequently, a replacement "
        "component has been requisitioned from the manufacturer. Installation will subsequently "
        "be scheduled for tomorrow afternoon, contingent upon delivery.\n\nSam",
        "reading_grade",
        name="Mei",
    ),
    _ex(
        "Hi Daniel,\n\nI appreciate your patience regarding the authorisation difficulties. Your "
        "login details were automatically invalidated following consecutive unsuccessful "
        "verification attempts, which is standard organisational security procedure. Accordingly, "
        "I have reinstated your account and generated a provisional password. Please sign in "
        "using the temporary password immediately and establish a permanent alternative.\n\nLena",
        "reading_grade",
        name="Daniel",
    ),
    _ex(
        "Hi Olivia,\n\nThank you for your comprehensive description. The synchronisation "
        "irregularities originated from modifications introduced during Tuesday's scheduled "
        "maintenance, which inadvertently altered calendar permissions throughout the "
        "organisation. Restoration of the previous configuration is currently underway. I "
        "anticipate completion by four o'clock this afternoon and will communicate confirmation "
        "accordingly.\n\nTomas",
        "reading_grade",
        name="Olivia",
    ),
    _ex(
        "Hi James,\n\nFollowing comprehensive diagnostic evaluation, the malfunctioning power "
        "adapter has been substituted with an equivalent manufacturer-certified replacement. "
        "Subsequent battery performance verification demonstrated satisfactory endurance "
        "throughout an extended operational period. Additionally, I have verified that every "
        "peripheral connection operates appropriately.\n\nHave I solved your problem?\n\nSam",
        "reading_grade",
        name="James",
        purpose="resolution",
    ),
    _ex(
        "Hi Priya,\n\nThank you for your enquiry concerning the photographic manipulation "
        "application. Unauthorised software installation contravenes organisational information "
        "security regulations, necessitating comprehensive evaluation prior to approval. "
        "Alternatively, the browser-based editing functionality within the Office portal provides "
        "comparable capabilities immediately. Additionally, departmental management may formally "
        "request procurement consideration.\n\nTomas",
        "reading_grade",
        name="Priya",
        purpose="decline",
    ),
    _ex(
        "Hi Kofi,\n\nThank you for the suggestion regarding standardised desktop shortcuts. "
        "Implementation necessitates coordination with the organisation's configuration "
        "management procedures, consequently requiring inclusion within the subsequent quarterly "
        "modification cycle. The anticipated implementation date is the third of June. "
        "Notification will be distributed upon completion.\n\nLena",
        "reading_grade",
        name="Kofi",
        purpose="defer",
    ),
    _ex(
        "Hi Hannah,\n\nThank you for reporting the suspicious correspondence. Our examination "
        "confirms that the communication constitutes a fraudulent impersonation attempt designed "
        "to obtain confidential financial information. Consequently, the originating address has "
        "been comprehensively blocked across organisational mailboxes. Immediate deletion of the "
        "message is recommended; no additional action is required.\n\nLena",
        "reading_grade",
        name="Hannah",
    ),
    _ex(
        "Hi Victor,\n\nThank you for highlighting the deteriorating wireless performance. "
        "Diagnostic measurements identified significant interference affecting the third-floor "
        "access point, particularly during periods of concentrated utilisation. The equipment has "
        "been reinitialised, and performance measurements currently indicate satisfactory "
        "throughput. Please notify me should degradation reoccur this afternoon.\n\nLena",
        "reading_grade",
        name="Victor",
    ),
    # steps in a wall of text
    _ex(
        "Hi Mei,\n\nThanks for letting me know the printer shows as offline. Open Settings and "
        "click Devices. Then choose Printers and select the floor 2 printer. Click Remove, then "
        "restart your laptop. After it starts, open Settings again, click Add a printer and pick "
        "the floor 2 printer from the list.\n\nLet me know if it still shows as offline.\n\nSam",
        "wall_of_text",
        name="Mei",
    ),
    _ex(
        "Hi Daniel,\n\nI'm sorry the email on your phone stopped working. Go to Settings and tap "
        "Mail, then tap Accounts and choose your work account. Tap Delete Account and confirm. "
        "Then go back to Accounts, tap Add Account, choose Exchange and type your email address "
        "and password. Wait a minute for the mail to download.\n\nReply here if anything looks "
        "different.\n\nLena",
        "wall_of_text",
        name="Daniel",
    ),
    _ex(
        "Hi Olivia,\n\nThanks for asking how to share your calendar. Open Outlook and click the "
        "calendar icon at the bottom left. Right-click your calendar and choose Sharing "
        "permissions. Click Add, type your team's name and pick Can view all details. Press OK "
        "and the team will see your calendar within a few minutes.\n\nTomas",
        "wall_of_text",
        name="Olivia",
    ),
    _ex(
        "Hi Ahmed,\n\nTeams is updated now. If the buttons move again, close Teams completely, "
        "then right-click its icon near the clock and choose Quit. Open Teams again from the "
        "Start menu. Sign in with your usual account and wait for the chats to load. Check the "
        "top bar for the new buttons.\n\nHave I solved your problem?\n\nLena",
        "wall_of_text",
        name="Ahmed",
        purpose="resolution",
    ),
    _ex(
        "Hi Nina,\n\nThanks for your message. To give your colleague access, open the folder in "
        "the browser and click Share at the top. Type their name, choose Can edit and press Send. "
        "Then copy the link from the same window and paste it into a chat with them, so they can "
        "find it again later.\n\nSam",
        "wall_of_text",
        name="Nina",
    ),
    _ex(
        "Hello Grace,\n\nThanks for your patience with the projector. Press the power button on "
        "the wall panel and wait for the green light. Then plug the HDMI cable into your laptop "
        "and press the Windows key and P together. Choose Duplicate from the menu. If nothing "
        "shows, unplug the cable, wait ten seconds and plug it in again.\n\nCall me on 4410 if it "
        "still stays blank.\n\nSam",
        "wall_of_text",
        name="Grace",
    ),
    _ex(
        "Hi Lucy,\n\nThank you for checking how the new starter signs in for the first time. They "
        "should open the welcome email and click the link inside. Then type the temporary "
        "password from the text message and choose a new password. Next, install the "
        "Authenticator app on their phone and scan the code on screen. Finally, sign in to Teams "
        "to check it all works.\n\nLena",
        "wall_of_text",
        name="Lucy",
    ),
    _ex(
        "Hi Tom,\n\nI'm sorry the scanner keeps sending files to the wrong place. On the scanner "
        "screen, tap Scan to Email and choose your name from the list. Tap Settings, select PDF "
        "and press Save as default. Then scan a test page and check that it arrives in your "
        "inbox within a minute.\n\nTomas",
        "wall_of_text",
        name="Tom",
        frustrated=True,
    ),
    # several flaws at once
    _ex(
        "Hi,\n\nWe can't fix the printer today. You should have reported it earlier.\n\nSam",
        "greeting acknowledgement empathy negative blame next_step",
        name="Mei",
        frustrated=True,
    ),
    _ex(
        "Hello,\n\nUnfortunately, passwords can't be reset over email. Unfortunately the "
        "self-service page is also down. I'll look into it.\n\nIT",
        "greeting acknowledgement negative next_step",
        name="Daniel",
    ),
    _ex(
        "Fixed the sync issue. The DNS cache on your laptop was corrupt, so I flushed it and "
        "rebooted.\n\nTomas",
        "greeting jargon solved_question",
        name="Olivia",
        purpose="resolution",
    ),
    _ex(
        "James,\n\nAs I already explained, the laptop is old. I'll see what I can do.\n\nSam",
        "acknowledgement empathy blame next_step",
        name="James",
        frustrated=True,
    ),
    _ex(
        "Hi Priya,\n\nNot possible, sorry. That software isn't supported.\n\nTomas",
        "acknowledgement negative next_step",
        name="Priya",
    ),
    _ex(
        "Hi Ahmed,\n\nThe VPN client's TLS handshake fails because the proxy intercepts it. We "
        "can't change the proxy.\n\nLena",
        "acknowledgement negative next_step",
        name="Ahmed",
        technical=True,
    ),
    _ex(
        "Hi Grace,\n\nThanks for reporting the projector. I'll take a look. Obviously you should "
        "have tried turning it off and on first.\n\nSam",
        "blame next_step",
        name="Grace",
    ),
    _ex(
        "Hi Kenji,\n\nThanks for asking. We won't get to the screen soon, sadly, and unfortunately "
        "I can't say when.\n\nLena",
        "negative next_step",
        name="Kenji",
        purpose="defer",
    ),
    _ex(
        "Hi Nina,\n\nThat's not our department. We don't do folder sharing.\n\nSam",
        "acknowledgement empathy negative next_step",
        name="Nina",
        purpose="decline",
        frustrated=True,
    ),
    _ex(
        "Hi Felix,\n\nThank you for your message. Your machine's BIOS and drivers are out of date, "
        "and the SSD is nearly full, which is why the accounting program crashes every time you "
        "try to open a large file from the network share that your team uses for the monthly "
        "reports.\n\nI'll sort it.\n\nSam",
        "jargon long_sentence next_step",
        name="Felix",
    ),
]

# --- a second round, written after the first rules: on its first run the rules agreed
# with it far less (micro precision 0.58, recall 0.70, 6 of 9 good replies flagged), and
# the rules were then widened to the phrasings it showed. It is development data now.

SECOND_ROUND: list[Example] = [
    _ex(
        "Morning Tom!\n\nAh, printers. Sorry it's been eating your pages again. I've put a new "
        "drum in this morning and run a few test prints, so give it another go and tell me how "
        "you get on.\n\nSam",
        name="Tom",
    ),
    _ex(
        "Hi Sunita,\n\nGot it, the second monitor flickers when you dock the laptop. A "
        "replacement cable is in the post and should land on Wednesday; I'll swap it the same "
        "afternoon.\n\nLena",
        name="Sunita",
    ),
    _ex(
        "Hi Marco,\n\nThat's a no from us on the gaming mouse, I'm afraid, since accessories come "
        "from your team's budget. Your team lead can order it from the supplier portal in a few "
        "clicks.\n\nTomas",
        "acknowledgement negative",
        name="Marco",
        purpose="decline",
    ),
    _ex(
        "Hi Beth,\n\nWe're not in a position to give out admin rights on shared laptops. What I "
        "can do is install the plug-in for you this afternoon; just tell me a time that suits."
        "\n\nSam",
        "acknowledgement negative",
        name="Beth",
    ),
    _ex(
        "Hi Oscar,\n\nIf you'd read the setup guide you'd have seen the step about the "
        "authenticator app. Anyway, I've reset it, so sign in again and scan the new code.\n\n"
        "Lena",
        "acknowledgement blame",
        name="Oscar",
    ),
    _ex(
        "Hi Freya,\n\nThanks for the photos of the error. Your OS needs an update before the new "
        "printer software will install, and I'll push it to your laptop tonight.\n\nTomas",
        "jargon",
        name="Freya",
    ),
    _ex(
        "Hi Dmitri,\n\nThanks for letting me know. Expect an update from me on Thursday, once "
        "the supplier confirms the part.\n\nSam",
        name="Dmitri",
    ),
    _ex(
        "Hi Amara,\n\nThanks for raising this. Leave it with me.\n\nLena",
        "next_step",
        name="Amara",
    ),
    _ex(
        "Hi Jonas,\n\nThat sounds really annoying, especially in the middle of a client call. "
        "I'm sorry. I'll ring you at half past two to go through the headset settings together."
        "\n\nTomas",
        name="Jonas",
        frustrated=True,
    ),
    _ex(
        "Hi Priyanka,\n\nThe laptop is back from repair with a new keyboard, and I've tested "
        "every key. Is it all working for you now?\n\nSam",
        name="Priyanka",
        purpose="resolution",
    ),
    _ex(
        "Hi Ruth,\n\nAll sorted: the shared mailbox shows in your Outlook again, and I've added "
        "it to your phone too. Shout if anything looks off.\n\nLena",
        "solved_question",
        name="Ruth",
        purpose="resolution",
    ),
    _ex(
        "Hi Wen,\n\nThank you for your patience. The fix for the expenses form went live this "
        "morning; could you confirm the form saves properly for you now?\n\nTomas",
        name="Wen",
        purpose="resolution",
    ),
    _ex(
        "Hey Carlos,\n\nSorry to hear the headset died. A new one is at reception with your "
        "name on it, so grab it whenever you pass.\n\nSam",
        name="Carlos",
    ),
    _ex(
        "Hi Agnes,\n\nThanks for your note about the door badge. Going forward, please make sure "
        "you tap the badge on the reader rather than waving it, which is what caused the error "
        "this time.\n\nLena",
        "blame",
        name="Agnes",
    ),
    _ex(
        "Hi Peter,\n\nI've had a look at the slow login. The roaming profile has grown to 9 GB "
        "and the GPO copies all of it at each sign-in. I'll trim it tonight at 7 pm.\n\nTomas",
        "jargon",
        name="Peter",
    ),
    _ex(
        "Hi Maya,\n\nI get that waiting a week for a laptop is no fun at all, and I'm sorry. "
        "The order is confirmed and the courier brings it on Monday morning.\n\nSam",
        name="Maya",
        frustrated=True,
    ),
    _ex(
        "Hi Stefan,\n\nThanks for the message. The invoice program is down for everyone and "
        "the vendor is working on it.\n\nLena",
        "next_step",
        name="Stefan",
    ),
    _ex(
        "Hi Clara,\n\nI've checked, and I'm afraid the meeting recording from Tuesday was never "
        "saved, so it can't be recovered. I've switched on automatic saving for your meetings from "
        "now on.\n\nTomas",
        "acknowledgement negative",
        name="Clara",
    ),
    _ex(
        "Hello,\n\nThanks for reaching out about the parking app. Please update it from the app "
        "store today; the old version stopped working at midnight.\n\nThe Service Desk",
        "greeting",
        name="Imran",
    ),
    _ex(
        "Hi Lars,\n\nThanks for the details. To get the scanner on the network, hold the Wi-Fi "
        "button until the light blinks, then press the WPS button on the router within two "
        "minutes. Wait for the light to go steady, then print a test page from the scanner menu, "
        "and check your laptop lists it under Printers.\n\nSam",
        "wall_of_text",
        name="Lars",
    ),
    _ex(
        "Hi Greta,\n\nMany thanks for your patience while we looked into the problem with the "
        "payroll export, which turned out to be caused by a change the finance system's supplier "
        "made to the format of the file over the weekend without telling anyone in advance.\n\n"
        "I'll send you a corrected file by 3 pm.\n\nLena",
        "long_sentence",
        name="Greta",
    ),
    _ex(
        "Hi Nils,\n\nThanks for your request. Pursuant to the organisation's procurement "
        "framework, hardware acquisitions exceeding the departmental threshold necessitate "
        "documented authorisation from an executive sponsor. Consequently, your application "
        "requires supplementary justification. Kindly provide the aforementioned documentation "
        "at your earliest convenience.\n\nTomas",
        "reading_grade",
        name="Nils",
    ),
    _ex(
        "Hi Ines,\n\nHappy to help with the new phone. I've sent the setup guide to your email, "
        "and I'm free at 11 if you'd like to go through it together.\n\nSam",
        name="Ines",
    ),
    _ex(
        "Hi Theo,\n\nWe'll be in touch.\n\nLena",
        "acknowledgement next_step",
        name="Theo",
    ),
]

# --- held out: written after the rules above were final, run once, never used to change
# them. Its figures are the honest ones for phrasings the rules were not shaped around.

HELD_OUT: list[Example] = [
    _ex(
        "Hi Pablo,\n\nThank you for bearing with us on the laptop order. It's been delivered "
        "to the office and I'll have it set up for you by lunchtime tomorrow.\n\nSam",
        name="Pablo",
    ),
    _ex(
        "Hi Kasia,\n\nOh no, that's the worst time for the screen to go black. I've sent a "
        "technician up and they'll be with you in the next 20 minutes.\n\nLena",
        name="Kasia",
        frustrated=True,
    ),
    _ex(
        "Hi Dev,\n\nThanks for the report. The NAS that holds the team folders ran out of space "
        "overnight; I'm adding a disk at 6 pm.\n\nTomas",
        "jargon",
        name="Dev",
    ),
    _ex(
        "Hi Anna,\n\nThe new phone's arrived. Come and pick it up from the desk on the ground "
        "floor any time today.\n\nSam",
        "acknowledgement",
        name="Anna",
    ),
    _ex(
        "Hi Rick,\n\nI hear you, three dropouts in one meeting is a lot. We can't replace the "
        "conference phone this month, but I can lend you the portable speaker from the desk right "
        "now.\n\nLena",
        "negative",
        name="Rick",
        frustrated=True,
    ),
    _ex(
        "Hi Alice,\n\nThanks for flagging the broken link on the intranet. I've fixed it, and "
        "it points at the new HR page now.\n\nWas that the page you were after?\n\nTomas",
        name="Alice",
        purpose="resolution",
    ),
    _ex(
        "Hi Bruno,\n\nI've replaced the faulty power supply in your desktop. It's running again."
        "\n\nSam",
        "solved_question",
        name="Bruno",
        purpose="resolution",
    ),
    _ex(
        "Hi Elena,\n\nThanks for your message about the training room booking. We normally ask "
        "for a week's notice, and next time it would help if you booked through the portal "
        "instead of emailing. I've booked the room for Thursday this time.\n\nLena",
        name="Elena",
    ),
    _ex(
        "Hi Sven,\n\nI'm sorry, but we don't fix personal laptops. The repair shop in the "
        "basement of the shopping centre does, and they're quick.\n\nTomas",
        "negative",
        name="Sven",
        purpose="decline",
    ),
    _ex(
        "Hi Lina,\n\nYour request to get a second monitor is noted. Someone will be in touch."
        "\n\nSam",
        "next_step",
        name="Lina",
    ),
    _ex(
        "Hi Georg,\n\nThanks for the question. Your account's in the wrong OU, which is why the "
        "policy doesn't apply. I'll move it at 2 pm.\n\nLena",
        "jargon",
        name="Georg",
    ),
    _ex(
        "Hi Fatima,\n\nThanks for getting in touch. I'll have a look at the shared calendar "
        "first thing tomorrow and let you know what I find by 10.\n\nTomas",
        name="Fatima",
    ),
    _ex(
        "Hi Oliver,\n\nThanks for reporting the outage. What happened is that the update you "
        "installed without asking broke the mail program for your whole team.\n\nI'll roll it "
        "back tonight at 8 pm.\n\nSam",
        "blame jargon",
        name="Oliver",
    ),
    _ex(
        "Hi Tariq,\n\nThanks for the heads-up. To free up space: open the Files app, tap "
        "Storage, choose Clean up, tick Temporary files and Downloads, press Remove, and then "
        "restart the phone so the space shows as free.\n\nLena",
        "wall_of_text",
        name="Tariq",
    ),
    _ex(
        "Dear Helen,\n\nThank you for your letter regarding the misplaced access card. A "
        "replacement will be printed on Monday and delivered to your desk that afternoon.\n\n"
        "Kind regards,\nTomas",
        name="Helen",
    ),
    _ex(
        "Hi Ravi,\n\nThanks for your patience. We're deferring the printer move until the new "
        "office opens, and I'll be in touch about the exact date nearer the time.\n\nSam",
        "next_step",
        name="Ravi",
        purpose="defer",
    ),
    _ex(
        "Hi Nora,\n\nThanks for asking. I'm really sorry the new laptop still isn't here; the "
        "supplier has promised it for Tuesday, and I'll bring it over the moment it lands.\n\n"
        "Lena",
        name="Nora",
        frustrated=True,
    ),
    _ex(
        "Hi Jin,\n\nThanks for the screenshot. That error comes from the expense app itself, "
        "and its makers are fixing it. In the meantime you can submit the claim on paper at "
        "reception.\n\nTomas",
        name="Jin",
    ),
]

EXAMPLES: list[Example] = GOOD + FLAWED + SECOND_ROUND + HELD_OUT
