from django.contrib import admin


class ContentManageableAdmin(admin.ModelAdmin):
    """Stamps created_by / updated_by with the staff member who saves, on inlines too."""

    readonly_fields = ("created", "created_by", "updated", "updated_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if not inline_form.has_changed():
                continue
            if instance._state.adding and hasattr(instance, "created_by_id"):
                instance.created_by = request.user
            if hasattr(instance, "updated_by_id"):
                instance.updated_by = request.user
        super().save_formset(request, form, formset, change)
