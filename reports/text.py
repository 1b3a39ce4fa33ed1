"""The text of a report's sections: what survives editing in the browser, and the administrative
Vietnamese dates of Nghị định 30/2020."""

from __future__ import annotations

import datetime

import nh3

# Bold, italic, paragraphs, line breaks and lists: what a report's body may carry. Everything else
# (script, style, links, images, attributes, tables typed by hand) is stripped, its text kept
# where it is text; script and style lose their content too.
ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "ul", "ol", "li"}

# How long a text may be, in characters. A printed page of a report (A4, 13-point Times, Nghị định
# 30/2020) holds about 3.300 characters: a section's body of 100.000 characters of *cleaned* HTML is
# some 30 pages, far above the longest part of the seeds' reports (a few pages) and still quick to
# render as a PDF. The cleaned length is what counts, so a text pasted from Word, whose styles and
# spans the cleaning strips, is not refused for markup nobody keeps. A meeting's content and its
# conclusions are plain text of some 15 pages each (50.000): the notice of conclusions composed
# from them stays within a section's limit.
BODY_MAX_CHARS = 100_000
MEETING_TEXT_MAX_CHARS = 50_000
# A line or a paragraph: who attended, a task, a note, a register entry's summary, the recipients.
SHORT_TEXT_MAX_CHARS = 5_000
SUMMARY_MAX_CHARS = 2_000


def clean(html: str) -> str:
    """``html`` from the editor reduced to ``ALLOWED_TAGS`` without any attribute."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes={},
        clean_content_tags={"script", "style"},
        link_rel=None,
        strip_comments=True,
    ).strip()


def dated_line(place: str, day: datetime.date) -> str:
    """ "Tùng Châu, ngày 09 tháng 02 năm 2023", "… ngày 29 tháng 9 năm 2023": a day below 10 and the
    months 1 and 2 with a leading zero (Nghị định 30/2020, Phụ lục I; seeds 003 and 004)."""
    month = f"{day:%m}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day:%d} tháng {month} năm {day.year}"
