from .models import Series


def navigation(request):
    # A lazy queryset: pages that never print the navigation never run the query.
    return {"all_series": Series.objects.all()}
