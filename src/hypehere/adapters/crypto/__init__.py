"""Password hashing (argon2-cffi) and signed access tokens (pyjwt)."""
