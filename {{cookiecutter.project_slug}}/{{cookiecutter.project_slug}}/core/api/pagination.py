from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (capped), so clients can't ask for the whole table."""

    page_size_query_param = "page_size"
    max_page_size = 100
