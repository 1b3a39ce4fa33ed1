"""The POST of a create form, once: every create view of the reports (meetings, their tasks, the
plan and its tasks, the register, the Excel imports, the composer) goes through ``create_posted``
(or ``posted_again`` for the imports), so that the same form posted twice creates one record and
the second post is led to it with a message (``services.submissions``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from ..forms import SUBMISSION_TOKEN
from ..selectors.submissions import earlier_submission
from ..services.records import RecordConflict
from ..services.submissions import Submitted, create_once


def posted_token(form) -> str:
    """The one-time token a bound form carries, checked ("" when none or malformed)."""
    field = form.fields.get(SUBMISSION_TOKEN)
    if field is None or not form.is_bound:
        return ""
    return field.clean(form[SUBMISSION_TOKEN].data)


def answer(request, submitted: Submitted, *, saved: str, again: str) -> HttpResponse:
    """To what was created, saying it was saved now (``saved``) or by an earlier post (``again``);
    both take ``%(name)s``, the record's name."""
    if submitted.again:
        messages.info(request, again % {"name": submitted.label})
    else:
        messages.success(request, saved % {"name": submitted.label})
    return redirect(submitted.url)


def posted_again(request, form, *, again: str) -> HttpResponse | None:
    """For a form posted before by the same user (its token known): the redirect to what that
    post created, before the form is validated (it would find its own first post a duplicate)."""
    if request.method != "POST":
        return None
    earlier = earlier_submission(user=request.user, token=posted_token(form))
    if earlier is None:
        return None
    messages.info(request, again % {"name": earlier.label})
    return redirect(earlier.url)


def create_posted(
    request,
    form,
    *,
    create: Callable[[], object],
    url_of: Callable[[object], str],
    saved: str,
    again: str,
    label_of: Callable[[object], str] = str,
    refusals: tuple[type[Exception], ...] = (),
) -> HttpResponse | None:
    """The POST of a create ``form`` (with ``forms.with_submission_token``): the redirect to what
    it created, or None when the form is to be shown again (a GET, errors). A ``RecordConflict``
    (or one of ``refusals``) raised by ``create`` becomes an error of the form, beside its field."""
    if request.method != "POST":
        return None
    response = posted_again(request, form, again=again)
    if response is not None:
        return response
    if not form.is_valid():
        return None
    try:
        submitted = create_once(
            user=request.user,
            token=form.cleaned_data.get(SUBMISSION_TOKEN, ""),
            create=create,
            url_of=url_of,
            label_of=label_of,
        )
    except (RecordConflict, *refusals) as refusal:
        form.add_error(getattr(refusal, "field", "") or None, str(refusal))
        return None
    return answer(request, submitted, saved=saved, again=again)
