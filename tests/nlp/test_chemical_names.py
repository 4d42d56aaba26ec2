"""Systematic chemical names (kg/nlp/chemical_names.py, recognition.en.toml [chemical_names]): a word
built by chemical nomenclature is one drug mention; locants glued before a drug match join it."""

from __future__ import annotations

from kg.config import Config
from kg.nlp.chemical_names import ChemicalNames
from kg.nlp.match import Match
from tests.conftest import by_text


def _drug(entries):
    return ("drug",)


def _found(text: str, matches=()) -> list[str]:
    names = ChemicalNames.from_config(Config.default())
    return [text[m.start:m.end] for m in names.find(text, list(matches), _drug)]


def test_systematic_names_are_one_drug_mention(mentions):
    ms = by_text(mentions("Rats received 4-(2-chlorophenyl)-1-methylpiperidin-3-ol or "
                          "2,6-dimethoxybenzylamine hydrochloride before the seizures."))
    for name in ("4-(2-chlorophenyl)-1-methylpiperidin-3-ol", "2,6-dimethoxybenzylamine hydrochloride"):
        assert ms[name].type == "drug", name
        assert ms[name].concept.curie.startswith("kgid:unlinked_"), name
    # the matches inside a name are gone: no "hydrochloride" of its own
    assert "hydrochloride" not in ms


def test_brackets_punctuation_and_acids():
    text = ("Mice were given (1-[2-(3,4-dichlorophenyl)ethyl]-4-methylpiperazine), "
            "3-mercaptopropionic acid and salvianolic acid B; N-[4-(5-nitro-2-furyl)-2-thiazolyl]formamide.")
    assert _found(text) == ["1-[2-(3,4-dichlorophenyl)ethyl]-4-methylpiperazine", "3-mercaptopropionic acid",
                            "salvianolic acid B", "N-[4-(5-nitro-2-furyl)-2-thiazolyl]formamide"]


def test_enzymes_processes_genes_and_pieces_are_no_names():
    text = ("DNA methylation by a methyltransferase, methylenetetrahydrofolate reductase and indoleamine "
            "2,3 dioxygenase; 3alpha-hydroxy groups; dimethylaminoethyl groups; 5-year and 2-fold.")
    assert _found(text) == []
    # a hyphen before a participle ends the name ("... -induced")
    assert _found("4-methylaminobenzoate-induced seizures") == ["4-methylaminobenzoate"]


def test_locants_before_a_drug_match_join_it_and_keep_its_grounding():
    text = "Both 17beta-estradiol and (+)-propranolol were given, with P-glycoprotein."
    entries = (("MESH:D004958", "LABEL"),)
    matches = [Match(12, 21, entries), Match(30, 41, (("MESH:D011433", "LABEL"),)),
               Match(59, 71, (("MESH:D006023", "LABEL"),))]
    found = ChemicalNames.from_config(Config.default()).find(text, matches, _drug)
    assert [(text[m.start:m.end], m.entries) for m in found] == [("17beta-estradiol", entries)]


def test_ions_take_in_their_charge(mentions):
    ms = by_text(mentions("The Ca2+ influx, Ca(2+) release and Na + transport were measured."))
    for name in ("Ca2+", "Ca(2+)", "Na +"):
        assert ms[name].type == "drug" and not ms[name].concept.curie.startswith("kgid:"), name


def test_amino_acids_as_residues_of_a_protein_are_no_chemicals(mentions):
    ms = mentions("Carriers of Gln/Arg or Cys 23 Ser, and the arginine84 to glutamine substitution, "
                  "were given arginine and glutamine supplements.")
    texts = [(m.text, m.start) for m in ms]
    # the residues of the variants are gone; the supplements stay
    assert [t for t, _ in texts if t.lower() in ("arg", "ser", "arginine", "glutamine")] == ["arginine", "glutamine"]
    assert min(s for t, s in texts if t == "arginine") > 80
    ms = mentions("It encodes a protein of 655 amino acids with 95% amino acid identity; amino acids were infused.")
    assert [(m.text, m.start) for m in ms if m.text.startswith("amino acid")] == [("amino acids", 70)]


def test_salts_are_one_mention_with_the_drugs_grounding():
    text = "Atropine sulfate, sodium nitroprusside and lithium carbonate; serum sodium was low."
    d = lambda a, b, c: Match(a, b, ((c, "LABEL"),))  # noqa: E731
    matches = [d(0, 8, "MESH:D001285"), d(9, 16, "MESH:D013431"), d(18, 24, "MESH:D012964"),
               d(25, 38, "MESH:D009599"), d(43, 50, "MESH:D008094"), d(68, 74, "MESH:D012964")]
    found = ChemicalNames.from_config(Config.default()).find(text, matches, _drug)
    got = [(text[m.start:m.end], m.entries[0][0]) for m in found]
    # "carbonate" is no match here: the cation takes it in with its own grounding; "serum sodium" is no salt
    assert got == [("Atropine sulfate", "MESH:D001285"), ("sodium nitroprusside", "MESH:D009599"),
                   ("lithium carbonate", "MESH:D008094")]
