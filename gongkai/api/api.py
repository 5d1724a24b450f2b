"""The JSON API: one NinjaAPI that mounts each app's router; OpenAPI docs at ``/api/docs``.

Errors are JSON with a stable ``code`` and a Chinese ``message``: invalid parameters give 422,
a refused operation (any ``CoreError`` raised by a service or selector) gives 400.
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from gongkai.core.api import router as calendar_router
from gongkai.core.errors import CoreError
from gongkai.orgs.api import router as orgs_router
from gongkai.publishing.api import router as documents_router
from gongkai.search.api import router as search_router

api = NinjaAPI(
    title="政务公开平台 API",
    version="1",
    description="机构目录、工作日计算、政府信息、全站搜索等公开接口。",
    urls_namespace="api",
)
api.add_router("/orgs/", orgs_router)
api.add_router("/calendar/", calendar_router)
api.add_router("/documents/", documents_router)
api.add_router("/search/", search_router)


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "code": "invalid_request",
            "message": "请求参数有误，请检查后重试。",
            "detail": exc.errors,
        },
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"code": "not_found", "message": "未找到。"}, status=404)


@api.exception_handler(CoreError)
def refused(request: HttpRequest, exc: CoreError) -> HttpResponse:
    return api.create_response(request, {"code": str(exc.code), "message": exc.message}, status=400)
