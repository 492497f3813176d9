"""Sign-up and the account: registration, the signed-in user, password changes, deletion."""
