"""The JSON Schema editors use for scenario files accepts every shipped file and rejects broken ones."""
import glob
import json
import os

import jsonschema
import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = json.load(open(os.path.join(ROOT, "schema", "scenario.schema.json"), encoding="utf-8"))
SHIPPED = sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.yaml")))


def test_schema_is_a_valid_draft_7_schema():
    jsonschema.Draft7Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", SHIPPED, ids=os.path.basename)
def test_shipped_scenario_matches_the_schema(path):
    with open(path, encoding="utf-8") as file:
        text = file.read()
    assert text.startswith("# yaml-language-server: $schema=../schema/scenario.schema.json\n")
    jsonschema.validate(yaml.safe_load(text), SCHEMA)


@pytest.mark.parametrize("broken", [
    {"shops": [{"shop_id": 1, "payment_orders": [{"actions": [{"request_id": "a", "buyer_id": 1, "chanel": "cash", "status": "X"}]}]}]},
    {"rules": [{"when": {"request_id": "x"}, "error": "no-such-error"}]},
    {"rules": [{"fault": "explode"}]},
    {"rules": [{"delay": "5 seconds"}]},
    {"rules": [{"error": "invalid_signature", "fault": "close"}]},
    {"shops": [{"shop_id": 1, "payment_orders": [{"actions": [{"request_id": "a", "buyer_id": 1, "channel": "c", "status": "X",
                                                             "timeline": [{"status": "Y"}]}]}]}]},
])
def test_schema_rejects_broken_scenarios(broken):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)
