"""The API docs page works on an intranet without internet: Swagger UI's files come from the
package's dependency ``drf-spectacular-sidecar``, served by the API itself (no host settings, no CDN)."""

import re

import pytest
from django.test import override_settings

from wagtail_mentoring.api.schema import SWAGGER_UI_DIR

pytestmark = pytest.mark.django_db

DOCS = "/api/mentoring/v1/docs/"


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]*?(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize(
    "host_settings",
    [
        {},
        # A host that points drf-spectacular at a CDN for its own API docs does not change ours.
        {"SPECTACULAR_SETTINGS": {"SWAGGER_UI_DIST": "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"}},
    ],
)
def test_docs_page_references_no_external_host_and_its_assets_are_served(client, host_settings):
    with override_settings(**host_settings):
        response = client.get(DOCS)
        assert response.status_code == 200
        html = response.content.decode()
        # Not a bare "cdn" substring: the page's random CSRF token may contain one.
        assert not re.search(r"cdn\.|jsdelivr|unpkg|cdnjs", html.lower())
        urls = _asset_urls(html)
        assert len(urls) >= 3, urls  # the stylesheet, the bundle and the preset (and the icon)
        for url in urls:
            assert not re.match(r"^(https?:)?//", url), url
            asset = client.get(url)
            assert asset.status_code == 200, url
            body = b"".join(asset.streaming_content) if asset.streaming else asset.content
            assert body == (SWAGGER_UI_DIR / url.rsplit("/", 1)[1]).read_bytes(), url
        assert any(u.endswith("swagger-ui-bundle.js") for u in urls), urls


@pytest.mark.parametrize("name", ["../../settings.py", "swagger-ui.css.map", "LICENSE", "nope.js"])
def test_only_swagger_ui_files_are_served(client, name):
    assert client.get(f"{DOCS}assets/{name}").status_code == 404
