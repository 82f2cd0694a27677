-- The phone, e-mail and tax-number indexes answer the duplicate checks (a card being created, an import's batch). With
-- GIN's fast update, new entries wait in a pending list that every search scans whole until a vacuum folds it in: during
-- an import of 100,000 contacts one batch's lookup of 500 phones grew from 30 ms to 1.5 s as the list filled. These
-- arrays hold one or two values, so writing them into the index at once costs little.
ALTER INDEX contact_phones_idx SET (fastupdate = off);
ALTER INDEX contact_emails_idx SET (fastupdate = off);
ALTER INDEX company_phones_idx SET (fastupdate = off);
ALTER INDEX company_emails_idx SET (fastupdate = off);
ALTER INDEX company_tax_idx SET (fastupdate = off);
ALTER INDEX lead_phones_idx SET (fastupdate = off);
ALTER INDEX lead_emails_idx SET (fastupdate = off);
