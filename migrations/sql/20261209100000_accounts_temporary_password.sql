-- A password an administrator hands over (an account created from the
-- roles page, or a password given anew) is temporary: it opens the console
-- only at the account page until its holder sets their own, and stops
-- opening it at all after password_temporary_until. NULL is a password the
-- person chose.
ALTER TABLE accounts ADD COLUMN password_temporary_until TIMESTAMPTZ;
