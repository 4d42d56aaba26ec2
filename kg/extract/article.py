"""What the article a claim is read in says about the claim (``kg/data/articles.toml``): in a clinical
trial's article a treats-family claim is ``in_clinical_trials_for`` unless its sentence states an
established use; in a review, or in a background section, a claim is prior knowledge (what the authors
report as known), not the article's finding."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kg.config import Config, Predicate
from kg.model import Claim, Document, Evidence, Section


@dataclass(frozen=True)
class TrialRule:
    types: frozenset[str]  # publication type names, lowercased
    predicate: Predicate
    replaces: frozenset[str]  # Biolink predicates it replaces


@dataclass(frozen=True)
class ArticlePolicy:
    """``articles.toml`` compiled."""

    trials: tuple[TrialRule, ...]
    prior_types: frozenset[str]
    prior_roles: frozenset[str]
    roles: tuple[tuple[str, re.Pattern], ...]

    @classmethod
    def from_config(cls, config: Config) -> "ArticlePolicy":
        t = config.articles
        trials = []
        for rule in t.tables("treats_by_publication_type", ()):
            trials.append(TrialRule(frozenset(x.lower() for x in rule.strings("types")),
                                    config.predicate(rule.string("predicate"), rule, "predicate"),
                                    frozenset(config.predicate(x, rule, "replaces").biolink for x in rule.strings("replaces"))))
        prior = t.table("prior_knowledge")
        roles = t.table("section_roles")
        compiled = tuple((name, roles.regex(name, flags=re.IGNORECASE)) for name in roles)
        prior_roles = frozenset(prior.strings("section_roles", ()))
        unknown = prior_roles - {name for name, _ in compiled}
        if unknown:
            raise prior.error("section_roles", f"{', '.join(sorted(unknown))}: not a role of [section_roles]")
        return cls(tuple(trials), frozenset(x.lower() for x in prior.strings("publication_types", ())), prior_roles,
                   compiled)

    def role(self, section: Section) -> str | None:
        """A section's role: from the role its source gives it, else from its heading."""
        for value in (section.role, section.heading):
            value = " ".join((value or "").replace("_", " ").split())
            if not value:
                continue
            for name, pattern in self.roles:
                if pattern.match(value):
                    return name
        return None


def article_policy(config: Config) -> ArticlePolicy:
    return config.derived("articles", ArticlePolicy.from_config)


def in_article(claims: Sequence[Claim], document: Document, policy: ArticlePolicy, established: re.Pattern) -> list[Claim]:
    """The claims as their article reads them: trial predicates and prior-knowledge marks."""
    types = {t.name.lower() for t in document.publication_types}
    trial = next((r for r in policy.trials if r.types & types), None)
    review = bool(types & policy.prior_types)
    sections = {(s.name, s.lang): s for s in document.sections}
    roles: dict[tuple[str, str], str | None] = {}
    out = []
    for c in claims:
        if trial is not None and c.claim_type == "treats" and not c.negated and c.predicate in trial.replaces \
                and not any(established.search(e.sentence) for e in c.evidence):
            c = dataclasses.replace(c, predicate=trial.predicate.biolink, relation=trial.predicate.relation)
        if review or policy.prior_roles:
            evidence = tuple(_prior(e, review, policy, sections, roles) for e in c.evidence)
            if evidence != c.evidence:
                c = dataclasses.replace(c, evidence=evidence)
        out.append(c)
    return out


def _prior(e: Evidence, review: bool, policy: ArticlePolicy, sections: dict, roles: dict) -> Evidence:
    key = (e.section, e.lang)
    if key not in roles:
        s = sections.get(key)
        roles[key] = policy.role(s) if s is not None else None
    if review or roles[key] in policy.prior_roles:
        return dataclasses.replace(e, prior_knowledge=True)
    return e
