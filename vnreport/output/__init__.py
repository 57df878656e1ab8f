"""Documents out to people: CSV tables of the records and a self-contained HTML view."""
