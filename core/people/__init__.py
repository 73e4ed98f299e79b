"""People: accounts and sign-in, the resident register (户籍/常住), API tokens."""
