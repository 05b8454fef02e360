-- What the to-do sweep (store_todos.cc) looks for, found without reading
-- every member, registration or transfer.
ALTER TABLE members
  ADD KEY ix_members_standing (standing, lifecycle),
  ADD KEY ix_members_contact (contact_status, lifecycle);
ALTER TABLE registrations ADD KEY ix_registrations_state (state);
ALTER TABLE transfers ADD KEY ix_transfers_state (state, updated_us);
