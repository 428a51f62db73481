"""The Qt-free core: schemas, rules, storage, services and reporting."""
