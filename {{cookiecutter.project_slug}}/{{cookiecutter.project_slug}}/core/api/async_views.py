"""An async variant of DRF's APIView, for endpoints whose handlers are coroutines.

DRF dispatches synchronously. This view runs DRF's request set-up (authentication,
permissions, throttling: sync code that may query the database or the cache) in a
thread, then awaits the handler on the event loop, where it uses the async ORM and
cache while the loop serves other requests. Exceptions, content negotiation and the
problem-details error format work exactly as in every other view.
"""

from typing import Any

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.http import HttpRequest
from rest_framework.response import Response
from rest_framework.views import APIView


class AsyncAPIView(APIView):
    """Subclass and write `async def get(self, request)` (and post, ...): all handlers
    async, so Django serves the view as a coroutine (`View.view_is_async`)."""

    # DRF's dispatch returns the response; this one returns a coroutine that does.
    async def dispatch(  # type: ignore[override]
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> Response:
        self.args = args
        self.kwargs = kwargs
        drf_request = self.initialize_request(request, *args, **kwargs)
        self.request = drf_request
        self.headers = self.default_response_headers
        try:
            await sync_to_async(self.initial)(drf_request, *args, **kwargs)
            method = (drf_request.method or "").lower()
            handler = (
                getattr(self, method, self.http_method_not_allowed)
                if method in self.http_method_names
                else self.http_method_not_allowed
            )
            if iscoroutinefunction(handler):
                response = await handler(drf_request, *args, **kwargs)
            else:
                # DRF's own handlers (OPTIONS, 405) are sync and may touch the database.
                response = await sync_to_async(handler)(drf_request, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - DRF's handler turns it into a response
            response = self.handle_exception(exc)
        self.response = self.finalize_response(drf_request, response, *args, **kwargs)
        return self.response
