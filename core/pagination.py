"""Paging through long lists without counting them, and without walking to their far end."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator that may be told how many items there are (worked out once and kept, as
    the archive's counts are): then it never counts them.

    With `reversible`, for a queryset whose order is total (no two items tie: the same page
    whichever end it is read from), a page in the second half is read from the other end,
    in reverse order, and turned round: the last page of 50,000 pieces costs a short walk
    back along an index, not one of 50,000 rows (OFFSET reads and drops every row before
    the page)."""

    def __init__(self, object_list, per_page, count=None, reversible=False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.count = count  # over Paginator's cached property: no COUNT(*)
        self.reversible = reversible and getattr(object_list, "ordered", False)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.reversible and bottom > self.count // 2:
            from_end = self.object_list.reverse()[self.count - top : self.count - bottom]
            return self._get_page(list(from_end)[::-1], number, self)
        return self._get_page(self.object_list[bottom:top], number, self)
