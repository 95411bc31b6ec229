"""The reader's pages, one module per page. Each view also answers its own htmx fragments."""
