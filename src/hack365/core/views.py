from django.http import HttpRequest, HttpResponse


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
