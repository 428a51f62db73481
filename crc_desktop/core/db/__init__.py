"""Storage: the typed ORM, the engine, migrations, repositories and the unit of work."""
