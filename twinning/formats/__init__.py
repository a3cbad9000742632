"""The site's one date format and one date-time format per language (FORMAT_MODULE_PATH).

Templates write a date as `{{ day|date }}` and a moment as `{{ moment|date:"DATETIME_FORMAT" }}`,
never a format of their own (the SHORT_ formats are the same ones), so that a page in one
language shows its dates one way. A moment carries its time zone ("T": "CET", or "+03"
where a zone has no abbreviation), since a partner section may read it in another zone.

Dates typed into a form are read in ISO first ("2026-06-30", what a browser's date field
sends and what its value must be written as), then the language's own ways."""
