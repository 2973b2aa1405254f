"""Role-aware mentoring dashboards, the admin home panel and charts."""
