-- GetFigures reads the requests of a subtree created in a period (at most two
-- years): the range on the path prefix is read from this index, and the
-- period filtered inside it (index condition pushdown), instead of reading
-- every request the subtree ever had.
ALTER TABLE requests ADD KEY ix_requests_figures (district_id, unit_path, created_us);
