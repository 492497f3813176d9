from rest_framework import filters
from rest_framework.exceptions import ValidationError


class SearchFilter(filters.SearchFilter):
    """DRF's `?search=` parsing, bounded so that no query string can make an unrunnable query.

    Every word adds a condition to the SQL; SQLite refuses an expression nested about a
    thousand deep, which a long enough query string would otherwise turn into a 500.
    """

    max_terms = 10
    max_length = 200

    def get_search_terms(self, request) -> list[str]:
        if len(request.query_params.get(self.search_param, "")) > self.max_length:
            message = f"Ensure {self.search_param} has no more than {self.max_length} characters."
            raise ValidationError([message], code="max_length")
        terms = super().get_search_terms(request)
        if len(terms) > self.max_terms:
            message = f"Ensure {self.search_param} has no more than {self.max_terms} words."
            raise ValidationError([message], code="max_terms")
        return terms
