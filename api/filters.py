from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.fields import CharField


class SearchFilter(filters.SearchFilter):
    """DRF's `?search=` parsing, bounded so that no query string can make an unrunnable query.

    Every word adds a condition to the SQL; SQLite refuses an expression nested about a
    thousand deep, which a long enough query string would otherwise turn into a 500.
    """

    max_terms = 10
    max_length = 200

    def get_search_terms(self, request) -> list[str]:
        value = request.query_params.get(self.search_param, "")
        field = CharField(trim_whitespace=False, allow_blank=True, max_length=self.max_length)
        try:
            terms = filters.search_smart_split(field.run_validation(value))
        except ValidationError as exc:
            raise ValidationError({self.search_param: exc.detail}) from exc
        if len(terms) > self.max_terms:
            message = f"Ensure this field has no more than {self.max_terms} words."
            raise ValidationError({self.search_param: [message]}, code="max_terms")
        return terms
