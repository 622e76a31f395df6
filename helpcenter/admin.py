from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "position", "updated_at"]
    list_editable = ["is_published", "position"]
    search_fields = ["title", "keywords"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["preview", "updated_at"]
    fields = ["title", "slug", "summary", "keywords", "body", "preview", "position", "is_published", "updated_at"]

    @admin.display(description=_("vista previa (al guardar)"))
    def preview(self, article: Article):
        # The same safe rendering the help center uses; the pipelines appear on the page.
        if not article.pk:
            return "—"
        before, after = article.sections()
        return before + after
