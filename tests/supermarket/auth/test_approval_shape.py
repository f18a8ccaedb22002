"""One approval object in every request body that needs a second person: {"username", "secret"}, with
`password` accepted as a documented alias."""
import pytest

from supermarket.auth.schemas import ApprovalSchema
from supermarket.auth.service import Approval
from supermarket.errors import InvalidInput
from supermarket.web import load


@pytest.mark.parametrize("body", [{"username": "m", "secret": "2468"}, {"username": "m", "password": "2468"}])
def test_secret_and_its_password_alias_give_the_same_approval(app, body):
    with app.test_request_context():
        assert load(ApprovalSchema(), body) == Approval("m", "2468")


def test_an_approval_without_secret_or_password_is_refused_on_the_secret_field(app):
    with app.test_request_context():
        with pytest.raises(InvalidInput) as e:
            load(ApprovalSchema(), {"username": "m"})
    assert list(e.value.extra["fields"]) == ["secret"]


def test_every_approval_in_the_api_document_is_the_shared_shape_with_the_alias_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    approval = schemas["AuthApproval"]
    assert set(approval["properties"]) == {"username", "secret", "password"}
    assert "Alias of `secret`" in approval["properties"]["password"]["description"]
    refs = [str(s) for s in schemas.values()]
    users = [name for name, s in schemas.items() if "AuthApproval" in str(s) or name.endswith("Checker")]
    assert users and not any("SalesApproval" in r or "AidApproval" in r for r in refs)
