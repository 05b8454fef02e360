-- The to-do sweep's question (store::EscalatedTodos): requests escalated to
-- a unit and still waiting, without reading every request.
ALTER TABLE requests ADD KEY ix_requests_escalated (escalated_to, state);
