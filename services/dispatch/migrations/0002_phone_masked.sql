-- The contact phone as every reader may see it (138****5678), kept beside the
-- sealed one so that answers need not open the seal. Rows from before have ''
-- and are masked from the sealed phone when read.
ALTER TABLE requests ADD COLUMN phone_masked VARCHAR(32) NOT NULL DEFAULT '' AFTER version;
