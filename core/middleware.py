"""The portal's own middleware."""

from __future__ import annotations

from django.utils.cache import patch_cache_control


class PrivateCacheMiddleware:
    """Nothing shown to a logged-in person is kept by a browser or a cache in between.

    Every answer to an authenticated user (pages, htmx partials, exports, PDFs, evidence files,
    errors, redirects, the admin) gets ``Cache-Control: private, no-store``: a commune office
    shares its PC, and the back button or the browser's cache must not show the next person what
    the last one saw. The directives are added to what the view set (``public`` goes, a stricter
    ``no-cache`` or ``must-revalidate`` stays). Anonymous answers are left alone: the public
    results keep their caching, the login pages are ``never_cache`` in Django already, and
    static files never get here (WhiteNoise answers them first).

    It sits right after AuthenticationMiddleware, so it sees the answer of every middleware
    below it, django-axes' locked-out page included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
