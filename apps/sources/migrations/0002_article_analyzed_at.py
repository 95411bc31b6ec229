from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    """Linking became the first half of analysis: the article's marker says so."""

    dependencies = [("sources", "0001_initial")]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_pending_link_idx"),
        migrations.RenameField(model_name="article", old_name="linked_at", new_name="analyzed_at"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=Q(analyzed_at__isnull=True),
                fields=["extracted_at"],
                name="article_pending_analysis_idx",
            ),
        ),
    ]
