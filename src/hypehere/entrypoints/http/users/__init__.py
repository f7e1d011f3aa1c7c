"""HTTP endpoints of the users module: /auth/* and /users/*."""
