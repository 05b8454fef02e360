-- A caller's identity matches of the day are counted by reader and time.
ALTER TABLE member_disclosures ADD KEY ix_member_disclosures_reader (reader, field, at_us);
