-- Usernames are unique regardless of case (registration checks it; this index closes the race
-- of two registrations at once, on any instance). Usernames are ASCII (the registration schema),
-- so lower() does not depend on the database's collation.
CREATE UNIQUE INDEX accounts_username_lower_key ON accounts (lower(username));
COMMENT ON INDEX accounts_username_lower_key IS 'usernames are unique case-insensitively: Citizen and citizen cannot both exist';
