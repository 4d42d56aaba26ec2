"""Head-word mentions of English text (kg/nlp/heads.py, recognition.en.toml [heads]): drug names by their
INN stem, therapy phrases by their head word, one-word procedures by their suffix; and the MeSH
descriptors the same stems type as drugs."""

from __future__ import annotations

from kg.config import Config
from kg.model import Document, Section
from kg.nlp.heads import HeadRules
from kg.nlp.match import Match
from tests.conftest import by_text


def test_unknown_drug_names_by_their_inn_stem(mentions):
    # INNs no lexicon holds (not even the drug-name dictionary: kg.ontology.drugs), named by -teplase
    ms = by_text(mentions("Duteplase was given for acute myocardial infarction, pamiteplase for stroke."))
    for name in ("Duteplase", "pamiteplase"):
        assert ms[name].type == "drug" and ms[name].concept.curie == f"kgid:unlinked_{name.lower()}"
    # the names the dictionary holds are grounded instead
    ms = by_text(mentions("Alteplase was given for acute ischemic stroke, ropinirole for Parkinson's disease."))
    assert ms["Alteplase"].concept.curie == "DRUGBANK:DB00009" and ms["ropinirole"].type == "drug"
    assert not ms["ropinirole"].concept.curie.startswith("kgid:unlinked")
    # a word of the lexicon keeps its grounding; an English word with no stem is no drug
    ms = by_text(mentions("Metformin was given to all participants."))
    assert ms["Metformin"].concept.curie.startswith(("CHEBI:", "MESH:"))
    assert "participants" not in ms
    rules = HeadRules.from_config(Config.default())
    words = ["neuropeptide", "telmisartan", "sartan"]  # an exclusion, a drug, a stem too short to be a name
    found = rules.find(words, words, [0, 13, 25], [12, 24, 31], [1, 1, 1], [])
    assert [(m.start, m.type) for m in found] == [(13, "drug")]


def test_mesh_descriptors_named_by_a_stem_are_drugs(mentions):
    ms = by_text(mentions("Praziquantel cured schistosomiasis; hydroxyurea helped in sickle cell anemia."))
    assert ms["Praziquantel"].concept.curie == "MESH:D011223" and ms["Praziquantel"].type == "drug"
    assert ms["hydroxyurea"].concept.curie == "MESH:D006918" and ms["hydroxyurea"].type == "drug"


def test_therapy_phrases_need_a_modifier_that_is_no_function_or_evaluative_word(mentions):
    ms = by_text(mentions("Medical treatment of hepatitis C and curative therapy of lung cancer were compared "
                          "with electrotherapy. The treatment was an effective therapy."))
    assert ms["Medical treatment"].type == "procedure"
    assert ms["Medical treatment"].concept.curie == "kgid:unlinked_medical_treatment"
    assert ms["curative therapy"].type == "procedure" and ms["electrotherapy"].type == "procedure"
    assert not any(m.text in ("treatment", "The treatment", "effective therapy", "therapy") for m in ms.values())


def test_head_word_therapies_and_drugs_are_subjects_of_treats_claims(pipeline):
    doc = Document("kgdoc:h", "t", (Section("abstract", "Medical treatment is effective in hepatitis C. "
                                                        "Alteplase was used to treat acute ischemic stroke."),))
    claims = pipeline.run([doc]).claims
    subjects = {c.subject.label for c in claims if c.claim_type == "treats"}
    assert "Medical treatment" in subjects and "Alteplase" in subjects


def test_rules_take_no_word_another_match_covers():
    rules = HeadRules.from_config(Config.default())
    words = ["breast", "cancer", "therapy", "with", "olaparib"]
    starts = [0, 7, 14, 22, 27]
    ends = [6, 13, 21, 26, 35]
    cancer = Match(0, 13, (("MONDO:0007254", "LABEL"),))
    found = rules.find(words, words, starts, ends, [1] * 5, [cancer])
    # "therapy" after a disease match takes no modifier; olaparib is a drug by its stem (-parib)
    assert [(m.start, m.end, m.type) for m in found] == [(27, 35, "drug")]
    # with no match, "breast cancer therapy" is one therapy phrase (up to max_modifiers words)
    found = rules.find(words, words, starts, ends, [1] * 5, [])
    assert (0, 21, "procedure") in [(m.start, m.end, m.type) for m in found]
    # a segment break (punctuation) ends the modifiers
    found = rules.find(words, words, starts, ends, [1, 2, 2, 2, 2], [])
    assert (7, 21, "procedure") in [(m.start, m.end, m.type) for m in found]


def test_a_word_overlapped_by_several_matches_takes_the_first_ones_type():
    rules = HeadRules.from_config(Config.default())
    words = ["treatment", "of", "congenital", "brain", "disease"]
    starts, ends = [0, 10, 13, 24, 30], [9, 12, 23, 29, 37]
    anatomy = Match(24, 29, (), type="anatomy")  # "brain": a word a disease phrase may take in
    found = rules.find(words, words, starts, ends, [1] * 5, [anatomy])
    assert [(m.start, m.end, m.type) for m in found] == [(13, 37, "disease")]  # "treatment of [congenital brain disease]"
    # a wider match from the same word: "brain" keeps the first match's type (sorted by start, end), but
    # "disease" is covered now, and no phrase ends in it
    wide = Match(24, 37, (), type="disease")
    assert rules.find(words, words, starts, ends, [1] * 5, [wide, anatomy]) == []
    # a match over "congenital brain" first: "brain" is taken by it, no longer absorbable anatomy
    before = Match(13, 29, (), type="disease")
    assert rules.find(words, words, starts, ends, [1] * 5, [anatomy, before]) == []


def test_head_word_mentions_are_not_asked_of_the_fuzzy_linker(small_pipeline):
    asked: list[str] = []

    class Spy:  # a fuzzy linker (kg.ground.grounder.FuzzyCandidates) that records what it is asked
        def candidates(self, texts, types):
            asked.extend(texts)
            return [[] for _ in texts]

    grounder = small_pipeline.grounder
    before, grounder.fuzzy = grounder.fuzzy, Spy()
    try:
        doc = Document("kgdoc:f", "t", (Section("abstract", "Fludarabine (FLU) and medical treatment; FLU."),))
        ms = by_text(small_pipeline.run([doc]).annotated[0].mentions)
    finally:
        grounder.fuzzy = before
    assert ms["Fludarabine"].concept.curie == "kgid:unlinked_fludarabine" and ms["FLU"].type == "drug"
    assert ms["medical treatment"].concept.curie == "kgid:unlinked_medical_treatment"
    assert asked == []


def test_only_head_word_mentions_of_unlinked_drugs_make_claims(pipeline):
    import dataclasses

    doc = Document("kgdoc:u", "t", (Section("abstract", "Duteplase was used to treat acute ischemic stroke."),))
    ad = pipeline.run([doc]).annotated[0]
    assert any(c.subject.label == "Duteplase" for c in pipeline.extractor.extract(ad))
    # the same unlinked drug as the trained recogniser would give it (no head-word grounding): no claim
    as_ner = tuple(dataclasses.replace(m, groundings=()) if m.text == "Duteplase" else m for m in ad.mentions)
    assert not any(c.subject.label == "Duteplase" for c in pipeline.extractor.extract(dataclasses.replace(ad, mentions=as_ner)))


def test_disease_phrases_by_their_head_word_only_after_a_frame(mentions):
    ms = by_text(mentions("Medical treatment of stone disease was tried in patients with persistent severe "
                          "regurgitation. DNA damage was seen in patients with disease."))
    assert ms["stone disease"].type == "disease"
    assert ms["stone disease"].concept.curie == "kgid:unlinked_stone_disease"
    # stage and severity words are no part of the phrase; a specific head needs no modifier
    assert ms["regurgitation"].type == "disease"
    # no frame ("DNA damage"), or a head that says no more than "disease" with no modifier: nothing
    assert not any(m.text in ("DNA damage", "damage", "disease") for m in ms.values())


def test_a_frame_is_no_modifier_of_the_disease_phrase_after_it(mentions):
    # Rosario–Hearst: "treat" ends the frame; the phrase is "cold symptoms", not "treat cold symptoms"
    ms = by_text(mentions("Given the potential for treatment to produce side effects , the use of zinc lozenges to "
                          "treat cold symptoms deserves further study ."))
    assert ms["cold symptoms"].type == "disease"
    assert ms["cold symptoms"].concept.curie == "kgid:unlinked_cold_symptom"
    assert "treat cold symptoms" not in ms


def test_colds_in_a_treatment_frame_are_a_disease(mentions):
    ms = by_text(mentions("Since few trials have examined the effects of therapeutic supplementation and their results "
                          "have been variable , further therapeutic trials are required to examine the role of vitamin "
                          "C in the treatment of colds ."))
    assert ms["colds"].type == "disease" and ms["colds"].concept.curie == "kgid:unlinked_cold"
    # a head that modifies the next head is no phrase of its own
    ms = mentions("the use of zinc lozenges to treat cold symptoms deserves further study .")
    assert [m.text for m in ms if m.type == "disease"] == ["cold symptoms"]


def test_a_therapy_named_for_the_condition_it_treats_names_both(mentions, pipeline):
    # Rosario–Hearst: "cancer chemotherapy" is one MAXO term; the corpora annotate the condition inside it
    text = ("While these findings are observed for all classes of oral drugs , the issue is especially critical "
            "for cancer chemotherapy , in which a narrow therapeutic index is frequently observed .")
    ms = by_text(mentions(text))
    assert ms["cancer"].type == "disease" and ms["chemotherapy"].type == "procedure"
    assert "cancer chemotherapy" not in ms
    claims = pipeline.run([Document("kgdoc:cc", "t", (Section("abstract", text),))]).claims
    assert any(c.claim_type == "treats" and c.object.label == "cancer" for c in claims)


def test_a_grade_between_the_frame_and_an_abbreviation_is_skipped(mentions):
    # Rosario–Hearst: "low-grade" is a grade, like "advanced" or "stage", between the frame and the disease
    ms = by_text(mentions("Therefore , interest is growing in mAbs as therapeutic alternatives for patients with "
                          "low-grade NHL and those with transformed histology ."))
    assert ms["NHL"].type == "disease" and ms["NHL"].concept.curie == "kgid:unlinked_nhl"


def test_frame_words_that_modify_what_is_not_named_name_nothing(mentions):
    # the words after a frame modify a frame_not word: they are no therapy of their own
    ms = by_text(mentions("Rats were treated with subcutaneous injections of saline."))
    assert "subcutaneous" not in ms


def test_a_disease_phrase_takes_in_the_anatomy_words_that_modify_it(mentions):
    ms = by_text(mentions("Stereotactic radiosurgery for management of deep brain cavernous malformations."))
    assert ms["deep brain cavernous malformations"].type == "disease"
    assert "brain" not in ms and "cavernous" not in ms


def test_therapies_named_by_their_frame(mentions):
    ms = by_text(mentions("Hepatitis was ameliorated by pretreatment with TJ-135. Patients were treated with "
                          "intravenous cisplatin or treated with drugs; others were treated with il-2 administered "
                          "by inhalation."))
    assert ms["TJ-135"].type == "therapy" and ms["TJ-135"].concept.curie == "kgid:unlinked_tj_135"
    # a number is joined by its hyphen; a participle after the name ends it
    assert ms["il-2"].type == "therapy"
    # words that modify a match name nothing of their own, nor do words that say only "a drug"
    assert ms["cisplatin"].type == "drug"
    assert not any(m.text in ("intravenous", "drugs", "il-2 administered") for m in ms.values())


def test_therapies_named_by_a_device_or_a_preparation(mentions):
    ms = by_text(mentions("Control of post-haemorrhoidectomy bleeding with a Foley catheter and a pack . The "
                          "results showed the efficacy and safety of artichoke extracts ( Cynara scolymus L. ) in "
                          "the treatment of digestive complaints."))
    assert ms["Foley catheter"].type == "procedure"
    assert ms["Foley catheter"].concept.curie == "kgid:unlinked_foley_catheter"
    assert ms["artichoke extracts"].type == "therapy"  # what is given, not whether a drug or a procedure
    # heads left out (BC5CDR train): instruments of study and methods
    ms = by_text(mentions("The confocal laser and the Kety-Schmidt technique were used."))
    assert not any("laser" in t or "technique" in t for t in ms)


def test_specific_disease_heads_with_a_modifier_need_no_frame(mentions, pipeline):
    ms = by_text(mentions("A case of biliary stenosis in polycystic liver improved by injection of minocycline "
                          "hydrochloride. The confocal laser showed focal lesions."))
    assert ms["biliary stenosis"].type == "disease"
    assert ms["biliary stenosis"].concept.curie == "kgid:unlinked_biliary_stenosis"
    assert "focal lesions" not in ms  # "lesion" still needs a frame
    doc = Document("kgdoc:c", "t", (Section("abstract", "Percutaneous drainage of hydatid cysts ."),))
    claims = pipeline.run([doc]).claims  # (MeSH's Cysts, typed by its tree, is the object since its trees are read)
    assert any(c.subject.label.lower() == "drainage" and "cysts" in c.object.label.lower() for c in claims)


def test_an_undefined_abbreviation_before_patients_is_a_disease(mentions):
    ms = by_text(mentions("patients and methods : forty-two chemo-naive extensive disease sclc patients were "
                          "enrolled to receive gemcitabine 1000 mg/m2 , days 1 , 8 and 15 ."))
    assert ms["sclc"].type == "disease" and ms["sclc"].concept.curie == "kgid:unlinked_sclc"


def test_code_names_after_a_route_or_a_dose_are_therapies(mentions):
    ms = by_text(mentions("The activity of oral UFT in large-bowel cancer when administered with oral LV "
                          "( approximately 50 mg/dose ) has resulted in objective response rates of 40 % . "
                          "Oral manifestations were rare after intravenous dosing."))
    assert ms["UFT"].type == "therapy" and ms["LV"].type == "therapy"
    assert not any(t in ms for t in ("manifestations", "dosing"))  # an ordinary word after a route: nothing
    ms = by_text(mentions("the regular dosage of nyt ( 15 g/d ) was prescribed for 7 weeks to one elderly "
                          "patient with lung carcinoma ."))
    assert ms["nyt"].type == "therapy"


def test_numbers_are_a_class_and_name_no_therapy(mentions):
    # no list of number words: a number (spaCy's like_num: "six", "twenty", "fourth", "2.5") is no modifier
    rules = HeadRules.from_config(Config.default())
    numbers = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
    assert not numbers & (rules.not_modifiers | rules.frame_not) and not rules.numbers_modify
    assert all(rules._number(w) for w in numbers | {"twenty", "fourth", "2.5"}) and not rules._number("il-2")
    ms = by_text(mentions("Patients were treated with six cycles of chemotherapy or with twenty courses of it."))
    assert not any("cycles" in t or "courses" in t for t in ms)
    ms = by_text(mentions("Patients were treated with il-2."))
    assert "il-2" in ms


def test_a_code_name_said_to_work_is_a_therapy(mentions):
    ms = by_text(mentions("conclusion : pc is equally efficacious as vc for the treatment of advanced non -- "
                          "small-cell lung cancer ."))
    assert ms["pc"].type == "therapy" and ms["pc"].concept.curie == "kgid:unlinked_pc"
    # ordinary words before "is effective" name no therapy
    ms = by_text(mentions("There is effective care, and the findings were useful in Parkinson's disease."))
    assert not any(t.lower() in ("there", "findings") for t in ms)


def test_what_a_therapy_is_useful_in_frames_a_disease_abbreviation(mentions):
    ms = by_text(mentions("MTX in a low-dose regimen is useful in refractory RA and superior to low-dose purine "
                          "analogues ."))
    assert ms["RA"].type == "disease" and ms["RA"].concept.curie == "kgid:unlinked_ra"


def test_feeding_therapies_and_colic_are_typed_by_their_mesh_label(mentions):
    ms = by_text(mentions("Consequently , parenteral nutrition ( PN ) solutions used to treat malnourished patients "
                          "with chronic renal failure are prepared . Effectiveness of casein hydrolysate feedings "
                          "in infants with colic ."))
    assert ms["parenteral nutrition"].type == "procedure"
    assert ms["parenteral nutrition"].concept.curie == "MESH:D010288"
    assert ms["colic"].type == "disease" and ms["colic"].concept.curie == "MESH:D003085"
    assert ms["casein hydrolysate"].type == "therapy"


def test_development_codes_are_drugs(mentions):
    ms = by_text(mentions("The antagonists LY274614, Ro4368554, MK-801 and GR 55562 were given in 2019 at "
                          "HCTZ 320 mg to RAW 264 cells; trial NCT01234567 by WHO 2016 criteria."))
    for name in ("LY274614", "Ro4368554", "MK-801", "GR 55562"):
        assert ms[name].type == "drug", name
    # a trial number, a year, a dose, a cell line: no code names
    assert not any(t.startswith(("NCT", "WHO", "RAW", "HCTZ 320")) for t in ms)
    # a record prefix excludes only a record ("NM000546"), not a code that begins like one; capitalised text
    rules = HeadRules.from_config(Config.default())
    assert rules._kind("NRA0160") == 1 and rules._kind("NM000546") == 0
    ms = by_text(mentions("(ABSTRACT TRUNCATED AT 250 WORDS)"))
    assert "AT 250" not in ms
