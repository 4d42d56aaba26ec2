"""Stage 4: claim rules on short texts (each test a construction the rules must handle)."""

from __future__ import annotations


def triples(claims):
    return {(c.subject.label, c.predicate.split(":")[1], c.direction, c.object.label, c.negated, c.hedged) for c in claims}


def test_treats_with_a_coordinated_list_and_hedging(extract):
    claims, _ = extract("Mesenchymal stem cells may be used for liver cirrhosis, chronic liver failure, and acute liver failure.")
    got = {(c.subject.curie, c.predicate, c.object.label, c.hedged) for c in claims}
    assert got == {
        ("MESH:D045164", "biolink:studied_to_treat", "cirrhosis of liver", True),
        ("MESH:D045164", "biolink:studied_to_treat", "chronic liver failure", True),
        ("MESH:D045164", "biolink:studied_to_treat", "acute liver failure", True),
    }
    (therapy,) = {c.subject for c in claims}
    assert therapy.category == "biolink:Treatment" and therapy.agent == "CL:0000134"


def test_unhedged_use_is_applied_to_treat_and_plain_treats(extract):
    claims, _ = extract("Metformin is used for type 2 diabetes mellitus. Insulin treats diabetes mellitus.")
    preds = {(c.subject.label, c.predicate) for c in claims}
    assert preds == {("Metformin", "biolink:applied_to_treat"), ("insulin", "biolink:treats")}


def test_research_and_trial_context_choose_the_predicate(extract):
    claims, _ = extract("A randomized clinical trial of metformin in the treatment of liver cirrhosis.")
    assert {c.predicate for c in claims} == {"biolink:in_clinical_trials_for"}
    claims, _ = extract("In mice, aspirin was effective against liver fibrosis.")
    assert {c.predicate for c in claims} == {"biolink:in_preclinical_trials_for"}


def test_negation_gives_no_positive_claim(extract):
    claims, _ = extract("Metformin does not treat liver cirrhosis.")
    assert claims and all(c.negated for c in claims)
    claims, _ = extract("There is still no effective medical treatment for cirrhosis and liver failure.")
    assert claims == []


def test_passive_treated_with(extract):
    claims, _ = extract("Patients with type 2 diabetes mellitus were treated with metformin.")
    assert {(c.subject.label, c.predicate, c.object.label) for c in claims} == {
        ("Metformin", "biolink:treats", "type 2 diabetes mellitus")}


def test_prevention_is_not_treatment(extract):
    claims, _ = extract("Aspirin is used for the prevention of colorectal cancer.")
    assert not any(c.claim_type == "treats" for c in claims)


def test_direction_triggers_and_lists(extract):
    claims, _ = extract("Mesenchymal stem cells inhibit inflammation and promote liver regeneration. They reduce oxidative stress.")
    got = {(c.object.label, c.direction, c.predicate) for c in claims}
    assert ("inflammatory response", "decreased", "biolink:affects") in got
    assert ("Liver Regeneration", "increased", "biolink:affects") in got
    assert ("Oxidative Stress", "decreased", "biolink:affects") in got  # "They": the previous sentence's subject
    assert all(c.subject.curie == "CL:0000134" for c in claims)


def test_anti_prefix_and_improve_on_a_disease(extract):
    claims, _ = extract("Metformin has anti-inflammatory effects and improves liver fibrosis.")
    got = {(c.object.label, c.direction) for c in claims}
    assert ("inflammatory response", "decreased") in got
    assert ("Hepatic fibrosis", "decreased") in got  # improving a disease lessens it


def test_outcome_after_result_connector_has_mediators(extract):
    claims, _ = extract("MSCs exert effects such as anti-fibrosis and inhibiting inflammation, thereby improving survival rate.")
    (outcome,) = [c for c in claims if c.claim_type == "outcome"]
    assert outcome.object.label == "Survival Rate" and outcome.direction == "increased"
    assert set(outcome.mediators) == {c.object.curie for c in claims if c.claim_type == "mechanism"}
    assert len(outcome.mediators) == 2


def test_capability_differentiation_and_secretion(extract):
    claims, _ = extract("Hematopoietic stem cells have self-renewal and differentiation abilities. "
                        "They differentiate into erythrocytes and secrete growth factors.")
    got = {(c.predicate, c.object.label) for c in claims}
    assert ("biolink:capable_of", "cell differentiation") in got
    assert ("biolink:develops_into", "erythrocyte") in got
    assert ("biolink:capable_of", "erythrocyte differentiation") in got  # GO's "<cell> differentiation"
    (sec,) = [c for c in claims if c.claim_type == "secretion"]
    assert sec.object.curie == "GO:0046903" and dict(sec.qualifiers)["product"] == "growth factors"


def test_evidence_offsets(extract):
    text = "Mesenchymal stem cells inhibit inflammation."
    claims, _ = extract(text)
    (c,) = claims
    (e,) = c.evidence
    assert e.sentence == text and text[e.subject_start:e.subject_end] == "Mesenchymal stem cells"
    assert text[e.object_start:e.object_end] == "inflammation" and e.trigger == "inhibit"


def test_induces_is_not_treats(extract):
    claims, _ = extract("Lithium induces nephrogenic diabetes insipidus.")
    assert not any(c.claim_type == "treats" for c in claims)


def test_treats_without_a_verb_between(extract):
    # templates ([treats.templates]): the therapy and the disease joined by a noun phrase, a preposition
    # or a list of compared therapies
    cases = {
        "Treatment of hypertension with ascorbic acid.": {("ascorbic acid", "hypertensive disorder")},
        "Cisplatin versus carboplatin in ovarian cancer.": {("Cisplatin", "ovarian cancer"), ("Carboplatin", "ovarian cancer")},
        "Doxorubicin-treated breast cancer patients were followed.": {("Doxorubicin", "breast cancer")},
        "Ascorbic acid is an effective treatment for scurvy.": {("ascorbic acid", "scurvy")},
        "Surgical treatment of stress urinary incontinence.": {("surgical procedure", "Stress urinary incontinence")},
    }
    for text, want in cases.items():
        claims, _ = extract(text)
        got = {(c.subject.label, c.object.label) for c in claims if c.claim_type == "treats" and not c.negated}
        assert got == want, text


def test_templates_keep_hedging_and_adverse_events_apart(extract):
    claims, _ = extract("Surgical treatment of stress urinary incontinence may be effective.")
    assert {(c.predicate, c.hedged) for c in claims} == {("biolink:studied_to_treat", True)}
    for text in ("Hypotension in patients receiving clonidine.",
                 "Orthostatic hypotension was abolished by withdrawal of selegiline.",
                 "A woman complained of dysphonia while she was treated by acitretin.",
                 "Vaccination is effective for preventing influenza."):
        claims, _ = extract(text)
        assert not any(c.claim_type == "treats" for c in claims), text


def test_prevention_is_a_claim_of_its_own(extract):
    claims, _ = extract("Aspirin for the prevention of colorectal cancer. Aspirin may prevent stroke.")
    got = {(c.claim_type, c.subject.label, c.predicate, c.object.label, c.hedged) for c in claims}
    assert ("prevention", "Aspirin", "biolink:preventative_for_condition", "colorectal cancer", False) in got
    assert ("prevention", "Aspirin", "biolink:preventative_for_condition", "stroke disorder", True) in got
    assert not any(c.claim_type == "treats" for c in claims)  # prevention is not treatment


def test_a_vaccine_prevents_what_it_names(extract):
    # the condition right before the vaccine, or listed after "against"; no treats claim for those pairs
    for text, expected in (
            ("Meta-analysis of typhoid vaccine efficacy trials.", {("Vaccines", "typhoid fever")}),
            ("Humoral immune response after vaccination against influenza.", {("vaccination", "influenza")}),
            ("Vaccines against pertussis, measles and mumps are effective.",
             {("Vaccines", "pertussis"), ("Vaccines", "measles"), ("Vaccines", "mumps infectious disease")})):
        claims, _ = extract(text)
        got = {(c.subject.label, c.object.label) for c in claims if c.predicate == "biolink:preventative_for_condition"}
        assert got == expected, text
        assert not {(c.subject.label, c.object.label) for c in claims if c.claim_type == "treats"} & expected, text
    # a word before "vaccine" that is no condition, or a drug "against" a disease, names nothing prevented
    claims, _ = extract("Cisplatin against ovarian cancer. The new vaccine was given to patients with asthma.")
    assert not any(c.predicate == "biolink:preventative_for_condition" for c in claims)


def test_adverse_effects_are_claims_of_their_own(extract):
    for text, drug, condition in (("Cisplatin-induced nephrotoxicity is common.", "Cisplatin", "kidney disorder"),
                                  ("Hepatitis developed after treatment with isoniazid.", "Isoniazid", "hepatitis"),
                                  ("Valvular heart disease associated with fenfluramine.", "Fenfluramine", "heart valve disorder")):
        claims, _ = extract(text)
        got = {(c.claim_type, c.subject.label, c.predicate, c.object.label) for c in claims
               if c.claim_type in ("treats", "adverse")}
        assert got == {("adverse", drug, "biolink:has_adverse_event", condition)}, text
        assert all(c.relation == "RO:0003302" for c in claims if c.claim_type == "adverse")


def test_head_word_diseases_and_framed_therapies_make_claims(extract):
    claims, _ = extract("Medical treatment of stone disease.")
    assert ("Medical treatment", "stone disease") in {(c.subject.label, c.object.label) for c in claims
                                                       if c.claim_type == "treats"}
    claims, _ = extract("Psoriasis was treated with the Q-switched Nd-Yag laser. Patients with chronic hepatitis "
                        "were treated with TJ-135.")
    pairs = {(c.subject.label, c.object.label.lower()) for c in claims if c.claim_type == "treats" and not c.negated}
    assert ("Q-switched Nd-Yag laser", "psoriasis") in pairs and ("TJ-135", "hepatitis") in pairs
    # the frame is what names it: the same code name alone is no mention, so no claim
    # a code name said to work is a therapy (subject_claims; its negative cases: tests/nlp/test_heads.py)
    claims, ms = extract("TJ-135 was effective in hepatitis.")
    assert "TJ-135" in {m.text for m in ms}


def test_a_condition_mapped_to_a_procedure_stays_a_condition(extract):
    # MAXO names a thrombus removal "venous thrombosis" and maps it to HP's and MeSH's venous thrombosis
    # (types.toml [name_yields]): the concept is the phenotype, which heparin treats
    claims, _ = extract("Heparin is used for the treatment of venous thrombosis.")
    assert {(c.subject.label, c.object.curie, c.object.type) for c in claims} == {("Heparin", "HP:0004936", "phenotype")}


def test_trigger_lookahead_drops_no_match():
    """The English trigger alternations test the characters a trigger can begin with first
    (``first_characters``): each finds what the bare alternation finds, in any case."""
    import re

    from kg.config import Config
    from kg.extract.rules import Rules, first_characters
    from kg.ingest import read_documents
    from tests.conftest import ROOT

    assert first_characters("(?:be\\s+)?used|treat(?:s|ed)?|[A-C]x") == frozenset("butABC")
    assert first_characters("(?:\\w+\\s+)?therapy") is None and first_characters("a?") is None
    rules = Rules(Config.default(), "en")
    gated = [v for v in vars(rules).values() if isinstance(v, re.Pattern) and v.pattern.startswith("(?<![\\w-])(?=[")]
    assert len(gated) >= 5
    texts = [s.text for d in read_documents(ROOT / "examples/abstracts.pubtator") for s in d.sections]
    texts += (ROOT / "examples/paper.txt").read_text(encoding="utf-8").split("\n\n")
    texts += [t.upper() for t in texts] + ["Treated with", "ſecreted"]
    found = 0
    for rx in gated:
        bare = re.compile(re.sub(r"^\(\?<!\[\\w-\]\)\(\?=\[.*?(?<!\\)\]\)", r"(?<![\\w-])", rx.pattern, count=1), rx.flags)
        assert len(bare.pattern) < len(rx.pattern)
        for t in texts:
            spans = [m.span() for m in rx.finditer(t)]
            assert spans == [m.span() for m in bare.finditer(t)]
            found += len(spans)
    assert found > 10


def test_a_protective_effect_against_an_induced_condition_prevents_it(extract):
    # "the protective effect of X against/on [Y-induced] Z": X prevents Z; the inducing agent Y is no subject
    for text in ("The protective effect of aspirin against cisplatin-induced nephrotoxicity.",
                 "Protective effect of aspirin on stroke in the elderly.",
                 "Protection of rats from nephrotoxicity with aspirin."):
        claims, _ = extract(text)
        got = {(c.subject.label, c.object.label) for c in claims if c.predicate == "biolink:preventative_for_condition"}
        assert ("Aspirin", next(iter(got))[1]) in got and len(got) == 1, (text, got)
        assert not any(c.claim_type == "treats" and c.subject.label == "Aspirin" for c in claims), text


def test_a_therapy_that_brings_about_regression_of_a_disease_treats_it(extract):
    claims, _ = extract("Interferon alfa may induce regression of renal cell carcinoma.")
    assert {(c.claim_type, c.object.label) for c in claims if c.claim_type == "treats"} == {("treats", "renal cell carcinoma")}
