"""Small shared text helpers, one home each: screen width, sanitising, atomic writes, suggestions."""
