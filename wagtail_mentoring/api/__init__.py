"""REST API (Django REST framework) with object-level permissions and an OpenAPI schema."""
