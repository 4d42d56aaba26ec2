"""XML entities: plain ones (as the OWL API writes) are expanded by kg; nested, external or oversized ones are
refused with the file and line before a parser sees them."""

from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.xmlsafe import safe_xml

OWL_API = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
    <!ENTITY owl "http://www.w3.org/2002/07/owl#" >
    <!ENTITY obo "http://purl.obolibrary.org/obo/" >
    <!ENTITY rdfs "http://www.w3.org/2000/01/rdf-schema#" >
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="&rdfs;" xmlns:owl="&owl;">
    <owl:Class rdf:about="&obo;MONDO_9000001">
        <rdfs:label>widget syndrome &amp; "friends"</rdfs:label>
    </owl:Class>
</rdf:RDF>
"""


def _write(tmp_path, text, name="o.owl"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_plain_xml_goes_to_the_parser_as_it_is(tmp_path):
    assert safe_xml(_write(tmp_path, '<?xml version="1.0"?>\n<a>&amp;</a>\n')) is None


def test_owl_api_entities_are_expanded(tmp_path):
    from kg.ontology.io import read_rdf

    path = _write(tmp_path, OWL_API)
    data = safe_xml(path)
    assert b"<!DOCTYPE" not in data and b'rdf:about="http://purl.obolibrary.org/obo/MONDO_9000001"' in data
    (term,) = read_rdf(path)
    assert term.curie == "MONDO:9000001" and term.label == 'widget syndrome & "friends"'


@pytest.mark.parametrize("decl, line", [
    ('<!ENTITY a "x">\n <!ENTITY b "&a;&a;">', 3),  # an entity built from entities
    ('<!ENTITY a SYSTEM "file:///etc/passwd">', 2),  # an external entity
    ('<!ENTITY % p "x">', 2),  # a parameter entity
    ('<!ENTITY a "<b>markup</b>">', 2),
    ('<!ENTITY a "' + "x" * 5000 + '">', 2),
])
def test_dangerous_entities_are_refused_with_the_line(tmp_path, decl, line):
    path = _write(tmp_path, f'<?xml version="1.0"?>\n<!DOCTYPE r [\n {decl}\n]>\n<r>&a;</r>\n'.replace("[\n ", "[", 1))
    with pytest.raises(KgError) as err:
        safe_xml(path)
    assert str(err.value).startswith(f"{path}:{line}:")


def test_an_expansion_many_times_the_file_is_refused(tmp_path):
    body = "&a;" * 200_000
    path = _write(tmp_path, f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "{"y" * 2000}">]>\n<r>{body}</r>\n')
    with pytest.raises(KgError, match="expand"):
        safe_xml(path)
