"""Link an implementing rule to the measure it implements: basis, article alignment, comparison.

``basis`` finds the measure a rule implements and the version in force at its date; ``citations``
reads explicit citations of the measure's articles; ``similarity`` scores text and duties (and holds
the character-bigram TF-IDF baseline); ``align`` decides each article's link, evidence first;
``compare`` reports what a rule changed; ``write`` puts links and version links into the store.
"""

from .align import NEW_THRESHOLD, Alignment, LinkArticle, align, articles_of
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
from .similarity import tfidf_argmax

__all__ = ["NEW_THRESHOLD", "Alignment", "LinkArticle", "align", "articles_of", "basis_titles", "cited_articles",
           "compare", "find_basis", "implemented_titles", "is_implementing_rule", "measure_names", "measure_title",
           "tfidf_argmax", "version_in_force"]
