"""data.gouv.fr (udata) client: dataset metadata, schema search, verified conditional downloads."""
