"""Reads of the knowledge base that pages share and the ORM says poorly."""

from dataclasses import dataclass

from django.db import connection

from apps.entities.models import Company, Entity


@dataclass(frozen=True)
class ChainLink:
    """One step of where a company led: it became (`successor`) or is owned by (`parent`) this."""

    via: str  # "successor" or "parent"
    slug: str
    name: str


def where_it_led(company: Company, *, steps: int) -> tuple[list[ChainLink], bool]:
    """What the company became, or else who owns it, then the same for that company, and so on
    for up to `steps` steps ("X" became xAI, which SpaceX owns); and whether the chain goes on.

    One recursive query whatever the length; a loop (a curator's slip) ends the chain where it
    comes back to a company already in it.
    """
    company_table = connection.ops.quote_name(Company._meta.db_table)
    entity_table = connection.ops.quote_name(Entity._meta.db_table)
    sql = f"""
        WITH RECURSIVE chain (id, depth, via) AS (
            SELECT entity_ptr_id, 0, '' FROM {company_table} WHERE entity_ptr_id = %s
            UNION ALL
            SELECT COALESCE(c.successor_id, c.parent_id), chain.depth + 1,
                   CASE WHEN c.successor_id IS NULL THEN 'parent' ELSE 'successor' END
            FROM chain JOIN {company_table} c ON c.entity_ptr_id = chain.id
            WHERE chain.depth <= %s AND COALESCE(c.successor_id, c.parent_id) IS NOT NULL
        )
        SELECT chain.id, chain.via, e.slug, e.name
        FROM chain JOIN {entity_table} e ON e.id = chain.id
        WHERE chain.depth > 0 ORDER BY chain.depth
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [company.pk, steps])
        rows = cursor.fetchall()
    links: list[ChainLink] = []
    seen = {company.pk}
    for entity_id, via, slug, name in rows:
        if entity_id in seen:
            break  # back to a company already shown: the rest repeats
        seen.add(entity_id)
        links.append(ChainLink(via, slug, name))
    return links[:steps], len(links) > steps
