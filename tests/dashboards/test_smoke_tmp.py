import pytest
@pytest.mark.django_db
def test_smoke(client, dashboard, roles, okrs):
    client.force_login(roles["mentee"])
    r = client.get("/mentoring/")
    print(r.status_code)
    print(r.content.decode()[:6000])
    assert r.status_code == 200
    client.force_login(roles["mentor"])
    r = client.get("/mentoring/")
    print(r.content.decode()[-4000:])
    assert r.status_code == 200
    client.force_login(roles["coordinator"])
    r = client.get("/mentoring/")
    assert r.status_code == 200
    print(r.content.decode()[-3000:])
