"""``kg_sentence_fixer``: undo sentence starts the sentencizer puts where no sentence can start."""

from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.doc import keep_sentence_starts, keep_token_offsets


@Language.factory("kg_sentence_fixer")
def make_sentence_fixer(nlp: Language, name: str) -> "SentenceFixer":
    return SentenceFixer()


class SentenceFixer:
    """Undo sentence starts that cannot be sentence starts: a lowercase word or trailing punctuation
    after an abbreviation's full stop ("etc., so to ...", "e.g. in ...")."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        arr = doc.to_array([IDX, LENGTH, SENT_START])  # one read of the arrays for every later component
        keep_token_offsets(doc, arr[:, 0].tolist(), (arr[:, 0] + arr[:, 1]).tolist())
        starts = [0]
        for i in (arr[1:, 2] == 1).nonzero()[0].tolist():
            tok = doc[i + 1]
            if tok.text[:1].islower() or tok.text[:1] in ",;:)]}%":
                tok.is_sent_start = False
            else:
                starts.append(i + 1)
        keep_sentence_starts(doc, starts)  # the later components read them from here
        return doc
