"""Users, roles and who may see which stores."""
