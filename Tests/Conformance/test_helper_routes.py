"""The test helpers (clients/java, clients/python) call only admin routes that
docs/admin-openapi.yaml describes, with the methods it gives, and the answer fields the Python
helper reads are in the routes' documented schemas: a route the helpers use cannot disappear or
change shape unnoticed (AdminOpenAPITests ties the document to the server's route table)."""
import os
import re

import yaml

import topmock_pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def document():
    with open(os.path.join(ROOT, "docs", "admin-openapi.yaml"), encoding="utf-8") as file:
        return yaml.safe_load(file)


def java_routes():
    source = open(os.path.join(ROOT, "clients", "java", "src", "main", "java", "dev", "topmock", "TopMock.java"), encoding="utf-8").read()
    block = source[source.index("ROUTES = List.of("):source.index(");", source.index("ROUTES = List.of("))]
    return [tuple(route.split(" ", 1)) for route in re.findall(r'"((?:GET|POST|PUT|DELETE) /[^"]+)"', block)]


def resolve(spec, schema):
    while schema and "$ref" in schema:
        node = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema or {}


def test_every_route_the_helpers_call_is_documented_with_its_method():
    spec = document()
    routes = set(topmock_pytest.ROUTES) | set(java_routes())
    assert len(java_routes()) >= 10 and len(topmock_pytest.ROUTES) >= 10
    missing = [f"{method} {path}" for method, path in sorted(routes) if method.lower() not in spec["paths"].get(path, {})]
    assert missing == [], f"routes the helpers call that docs/admin-openapi.yaml lacks: {missing}"
    assert set(java_routes()) == set(topmock_pytest.ROUTES), "the Java and Python helpers call different routes"


def test_the_fields_the_helpers_read_are_in_the_documented_answers():
    spec = document()
    undocumented = []
    for (method, path), fields in topmock_pytest.ROUTES.items():
        responses = spec["paths"][path][method.lower()].get("responses", {})
        ok = responses.get("200") or responses.get("201") or {}
        schema = resolve(spec, ok.get("content", {}).get("application/json", {}).get("schema"))
        if not schema:
            continue  # described in words only; the helpers' own tests read these live
        properties = schema.get("properties", {})
        undocumented += [f"{method} {path}: {name}" for name in fields if name not in properties]
    assert undocumented == [], f"answer fields the Python helper reads that the document lacks: {undocumented}"
    entry = resolve(spec, {"$ref": "#/components/schemas/Request"})["properties"]
    assert [name for name in topmock_pytest.JournalEntry.FIELDS if name not in entry] == []


def test_the_routes_whose_answers_the_helpers_read_have_schemas():
    """So the check above is not vacuous for the calls whose answers become typed values."""
    spec = document()
    for method, path in [("POST", "/__admin/apps"), ("GET", "/__admin/namespaces/{ns}/actions/{shop_id}/{request_id}"),
                         ("GET", "/__admin/namespaces/{ns}/checkouts/{shop_id}/{checkout_id}")]:
        responses = spec["paths"][path][method.lower()]["responses"]
        ok = responses.get("200") or responses.get("201")
        assert resolve(spec, ok["content"]["application/json"]["schema"]).get("properties"), f"{method} {path}"
