"""Link an implementing rule to the measure it implements: basis, article alignment, comparison.

``basis`` finds the measure a rule implements and the version in force at its date; ``citations``
reads explicit citations of the measure's articles; ``similarity`` measures text and duties (and holds
the character-bigram TF-IDF baseline); ``scoring`` combines text, hubs and kind; ``order`` is the prior that
rules follow their measure's order (a chain over the measure's articles); ``novelty`` decides new content;
``align`` decides each article's link, evidence first;
``compare`` reports what a rule changed; ``write`` puts links and version links into the store.
"""

from .align import Alignment, LinkArticle, align, articles_of
from .basis import (
    basis_titles,
    find_basis,
    implemented_titles,
    is_implementing_rule,
    measure_title,
    version_in_force,
)
from .citations import cited_articles, measure_names
from .compare import compare
from .novelty import NEW_CONTENT, NewContent
from .scoring import WEIGHTS, Weights
from .similarity import tfidf_argmax

__all__ = ["NEW_CONTENT", "WEIGHTS", "Alignment", "LinkArticle", "NewContent", "Weights", "align", "articles_of",
           "basis_titles", "cited_articles", "compare", "find_basis", "implemented_titles", "is_implementing_rule",
           "measure_names", "measure_title", "tfidf_argmax", "version_in_force"]
