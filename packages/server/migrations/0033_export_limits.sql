-- Exports (issue 7, item 6): the most rows one export of a role may hold. NULL is no limit; an export over the limit
-- is refused as a whole before any byte is written (a truncated file would pass for the whole list).
ALTER TABLE role ADD COLUMN export_row_limit integer CHECK (export_row_limit IS NULL OR export_row_limit > 0);
