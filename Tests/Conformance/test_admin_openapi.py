"""docs/admin-openapi.yaml is a valid OpenAPI 3 document (its routes are compared with the server's
in Tests/TopMockTests/AdminOpenAPITests.swift); and the live server answers its paths."""
import json
import os
import urllib.error
import urllib.request

import yaml
from openapi_spec_validator import validate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
URL = os.environ["TOPMOCK_URL"]


def test_admin_openapi_document_is_valid():
    with open(os.path.join(ROOT, "docs", "admin-openapi.yaml"), encoding="utf-8") as file:
        validate(yaml.safe_load(file))


def test_live_admin_answers_json_with_stable_error_codes():
    with urllib.request.urlopen(URL + "/__admin/health") as response:
        assert json.load(response)["status"] == "ok"
    try:
        urllib.request.urlopen(URL + "/__admin/namespaces/x/actions/124/nope")
    except urllib.error.HTTPError as error:
        assert error.code == 404
        assert json.load(error)["error"]["code"] == 1005
    else:
        raise AssertionError("expected 404")
