-- 0008: recorded dates (R2.1, R2.3; docs/decisions/007-recorded-dates-and-personal-data.md).
-- batches.filed_on and announcements.published_on are the server's date when the filing or publication was
-- recorded; existing rows keep their value as that date. A different date that a document gives (the
-- municipal centre's own filing date, a publication elsewhere) is kept beside it with the document's
-- reference (文号), both or neither.
ALTER TABLE batches ADD COLUMN filed_documented_on TEXT;
ALTER TABLE batches ADD COLUMN filed_document_reference TEXT
  CHECK ((filed_document_reference IS NULL) = (filed_documented_on IS NULL));
ALTER TABLE announcements ADD COLUMN documented_on TEXT;
ALTER TABLE announcements ADD COLUMN document_reference TEXT
  CHECK ((document_reference IS NULL) = (documented_on IS NULL));
