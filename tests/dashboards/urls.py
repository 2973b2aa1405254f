"""Test URLs: a portal page rendering the "My mentoring" block, plus the test project's URLs."""

from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path
from wagtail import blocks

from tests.urls import urlpatterns as base_urlpatterns
from wagtail_mentoring.blocks.portal import MyMentoringBlock

BODY = blocks.StreamBlock([("my_mentoring", MyMentoringBlock())])
TEMPLATE = Template(
    "{% load wagtailcore_tags %}<main>{% for block in body %}{% include_block block %}{% endfor %}</main>"
)


def portal(request):
    body = BODY.to_python([{"type": "my_mentoring", "value": {"heading": "My mentoring"}}])
    return HttpResponse(TEMPLATE.render(RequestContext(request, {"body": body})))


urlpatterns = [path("portal/", portal), *base_urlpatterns]
