-- A community lists the employed members registered with it where they live
-- (双报到), whatever their relation.
ALTER TABLE members ADD KEY ix_members_registered (registered_community_id, id);
