"""``hsdata serve``: a data review web page for people who do not program.

Upload a file, read its problems in plain words at their place, download it
converted, and look at the data through a summary, pictures and record
pages. :mod:`._app` holds the routes, :mod:`._checks` what runs on an upload
(in a worker thread), :mod:`._store` the reports and their temporary
folders, :mod:`._text` the English and French words of the page and
:mod:`._figures` the timeline and network pictures (shared with the docs).
"""
