-- Products (matched by SKU) and deals (only created) can be imported too: the import's job, its records (for undo) and its saved mappings name them.
ALTER TABLE import_job DROP CONSTRAINT import_job_object_check;
ALTER TABLE import_job ADD CONSTRAINT import_job_object_check CHECK (object IN ('contact', 'company', 'lead', 'product', 'deal'));
ALTER TABLE import_record DROP CONSTRAINT import_record_object_check;
ALTER TABLE import_record ADD CONSTRAINT import_record_object_check CHECK (object IN ('contact', 'company', 'lead', 'product', 'deal'));
ALTER TABLE import_mapping DROP CONSTRAINT import_mapping_object_check;
ALTER TABLE import_mapping ADD CONSTRAINT import_mapping_object_check CHECK (object IN ('contact', 'company', 'lead', 'product', 'deal'));
