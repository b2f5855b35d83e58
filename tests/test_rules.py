"""Every place that spells out rule ids names the rule book's (scheduler/rules.py), and
no other: the model, the validator, the `weights:` names, docs/rules.md and the README
type the ids themselves, and a rule renamed in one place only would leave the model
writing penalties the validator does not count."""

from __future__ import annotations

import re

from conftest import BUNDLED, ROOT

from scheduler.rules import HARD_RULES, SOFT_RULES, SOFT_RULES_FR

RULE_ID = r"[a-z]+(?:-[a-z]+)*"


def test_the_validator_checks_and_counts_the_rule_book_s_rules_in_its_order():
    from scheduler.validate import HARD_CHECKS, SOFT_COSTS

    assert list(HARD_CHECKS) == list(HARD_RULES)
    assert list(SOFT_COSTS) == list(SOFT_RULES)


def test_the_model_labels_its_rules_and_penalises_by_the_rule_book_s_ids(monkeypatch):
    from scheduler.candidates import candidate_table
    from scheduler.instance import Weights, load_instance
    from scheduler.model import WorkshopModel
    from scheduler.solution import load_solution

    # each rule's method says its rule first ("speaker-clash: ..."); a constraint that
    # supports two rules names both ("theme, language: ...")
    labels = re.compile(rf"({RULE_ID}(?:, {RULE_ID})*): ")
    labelled = [
        rule
        for method in vars(WorkshopModel).values()
        if (found := labels.match(getattr(method, "__doc__", None) or ""))
        for rule in found[1].split(", ")
    ]
    assert set(labelled) <= {*HARD_RULES, *SOFT_RULES}, labelled
    assert set(SOFT_RULES) <= set(labelled)
    instance = load_instance(BUNDLED)
    candidates = candidate_table(instance)
    asked: list[str] = []
    weight_of = Weights.of
    monkeypatch.setattr(
        Weights, "of", lambda self, rule: asked.append(rule) or weight_of(self, rule)
    )
    published = load_solution(ROOT / "solutions" / "commons-ai-2026.json")
    built = WorkshopModel(instance, candidates, reference=published)
    assert asked == list(SOFT_RULES)  # the objective's rules, by their weights
    assert {term.rule for term in built.terms} == set(SOFT_RULES)


def test_the_weights_and_the_french_words_are_named_by_the_soft_rules_ids():
    from scheduler.instance import Weights

    assert [f.alias or name for name, f in Weights.model_fields.items()] == list(SOFT_RULES)
    assert list(SOFT_RULES_FR) == list(SOFT_RULES)


def test_the_docs_list_the_rule_book_s_rules():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    row = re.compile(rf"^\| `({RULE_ID})` \|", re.MULTILINE)
    hard = text.split("\n## Hard rules\n")[1].split("\n## ")[0]
    soft = text.split("\n## Soft rules (the objective)\n")[1].split("\n## ")[0]
    assert row.findall(hard) == list(HARD_RULES)
    assert row.findall(soft) == list(SOFT_RULES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split("- **Hard rules** (")[1].split(" share stable ids")[0]
    assert re.findall(rf"`({RULE_ID})`", listed) == [*HARD_RULES, *SOFT_RULES]


def test_the_benchmarks_vary_soft_rules_of_the_rule_book():
    from bench.vary import SOFT_RULES as VARIED

    assert set(VARIED) <= set(SOFT_RULES)
