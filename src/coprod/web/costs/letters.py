"""A letter for a contributor on welfare benefits: payments may affect their benefits, and what to
check (SPEC C4). Plain words, generic UK wording. It is general information, not advice: it says so,
and it points to free, independent advice.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from coprod.formats.budget_reports import money_text
from coprod.web.costs.labels import OFFER_LABELS

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", str(text))


def _date(value: dt.date) -> str:
    return str(formats.date_format(value, "j F Y"))


def benefits_letter(
    *,
    name: str,
    project: str,
    sender: str,
    payments: Sequence[Any] = (),
    today: dt.date,
) -> bytes:
    """The letter as a DOCX. ``payments`` are the person's payments (rows with ``activity_date``,
    ``offered``, ``amount``, ``currency`` and ``paid_on``), listed so they know what to report."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(12)  # large enough to read easily
    title = _("Payments for your involvement and your benefits")
    document.core_properties.title = _clean(title)
    document.add_paragraph(_date(today))
    document.add_paragraph(_clean(_("Dear %(name)s,") % {"name": name}))
    document.add_heading(_clean(title), level=1)

    def say(text: str) -> None:
        document.add_paragraph(_clean(text))

    def bullets(items: Sequence[str]) -> None:
        for item in items:
            document.add_paragraph(_clean(item), style="List Bullet")

    say(
        _(
            "Thank you for taking part in “%(project)s”. We offer to pay people for the time they "
            "give, and we pay back what they spend to take part, such as travel."
        )
        % {"project": project}
    )
    say(
        _(
            "You told us that you get welfare benefits. This letter explains, in general terms, "
            "how our payments might affect them, and what you can check before you decide."
        )
    )

    document.add_heading(_clean(_("Payments may affect your benefits")), level=2)
    say(
        _(
            "Some benefits count payments for your time as income or earnings. This can lower "
            "the amount you get, or change whether you can get it. This may be the case for "
            "Universal Credit, Employment and Support Allowance, Jobseeker's Allowance, Income "
            "Support, Housing Benefit, Pension Credit and Carer's Allowance, among others."
        )
    )
    say(
        _(
            "Vouchers and gifts may be counted in the same way as money. Paying back what you "
            "spent, with receipts, is not usually counted as income, but check this too."
        )
    )

    document.add_heading(_clean(_("What to check")), level=2)
    bullets(
        [
            _("Whether your benefits have a limit on what you can earn, and what it is."),
            _(
                "Whether you need to tell the office that pays your benefits (for example the "
                "Department for Work and Pensions, Jobcentre Plus or your local council) about "
                "a payment, and by when."
            ),
            _("Whether a voucher is treated differently from a payment in money."),
            _(
                "Whether it would be better for you to take a voucher, to be paid later, or to "
                "decline the payment. You can decline a payment and still take part."
            ),
            _("Whether being involved could be seen as work, or as being available for work."),
        ]
    )

    if payments:
        document.add_heading(_clean(_("What we have recorded for you")), level=2)
        say(_("Keep this list in case you need to report these payments."))
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        headers = (_("Date of the activity"), _("Offered as"), _("Amount"), _("Date paid"))
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(_clean(text)).bold = True
        for payment in payments:
            cells = table.add_row().cells
            values = (
                _date(payment.activity_date),
                str(OFFER_LABELS.get(payment.offered, payment.offered)),
                money_text(payment.amount, payment.currency),
                _date(payment.paid_on) if payment.paid_on else _("Not paid yet"),
            )
            for cell, text in zip(cells, values, strict=True):
                cell.text = _clean(text)

    document.add_heading(_clean(_("Where to get free, independent advice")), level=2)
    bullets(
        [
            _("Citizens Advice: citizensadvice.org.uk (England and Wales)"),
            _("Citizens Advice Scotland: cas.org.uk"),
            _("Advice NI: adviceni.net (Northern Ireland)"),
            _("Turn2us: turn2us.org.uk, with a free benefits calculator"),
            _("The welfare rights service of your local council"),
        ]
    )
    say(
        _(
            "This letter gives general information only. It is not legal or financial advice, "
            "and your own situation may be different. Please check with an adviser or with the "
            "office that pays your benefits before you accept a payment."
        )
    )
    say(
        _(
            "If you have any questions, or would like this letter in another format, please "
            "contact us. You can change how you are paid, or stop being paid, at any time."
        )
    )
    document.add_paragraph(_clean(_("With thanks,")))
    document.add_paragraph(_clean(sender))
    document.add_paragraph(_clean(project))
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
