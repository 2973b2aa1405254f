"""The example intranet works without internet: user avatars are Wagtail's own image, not gravatar.com's."""

from tests.packaging.test_example_site import _manage


def test_avatars_are_not_fetched_from_the_internet():
    result = _manage(
        "shell",
        "-c",
        "from wagtail.users.utils import get_gravatar_url; print('AVATAR', get_gravatar_url('cora@example.com'))",
    )
    assert result.returncode == 0, result.stderr
    assert "AVATAR None" in result.stdout
