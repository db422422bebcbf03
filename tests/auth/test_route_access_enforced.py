"""A route that forgot to declare a policy is refused, even to an administrator."""

from app import create_app
from tests.conftest import app_config


def test_route_without_policy_is_refused(tmp_path):
    app = create_app(app_config("sqlite:///" + str(tmp_path / "x.sqlite3"), str(tmp_path)))
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    response = app.test_client().get("/forgotten")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)
